"""Reading content written for Jekyll and Hugo: file names, bundles, shortcodes, Liquid."""

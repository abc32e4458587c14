"""Images the way a news site serves them: found, measured, resized, marked up."""

"""Bringing an existing site's archive into a newsgen site (``newsgen import …``)."""

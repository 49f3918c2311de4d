"""The home page, the privacy statement, the language switch and the health check."""

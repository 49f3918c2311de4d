"""Initiatives, offers and requests: the map with its list, posting, editing, photos."""

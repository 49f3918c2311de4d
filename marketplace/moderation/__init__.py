"""Moderation: pre-moderation of new residents, flags, the wijkwerker's queue and its actions."""

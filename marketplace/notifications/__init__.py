"""Notifications in the app, and each person's e-mail choices per kind."""

"""Signing up, logging in and out, confirming e-mail and resetting passwords."""

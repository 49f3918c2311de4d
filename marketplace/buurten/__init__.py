"""Buurt pages: what happens in a buurt and who is active there."""

"""Responding to listings, answering responses, and private messages between the parties."""

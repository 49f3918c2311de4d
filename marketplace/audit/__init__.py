"""The audit log: who did what, when and why, with the before and after, kept forever."""

"""Public comments on listings, with replies one level deep."""

"""Following a listing, and the progress updates its initiator posts for followers."""

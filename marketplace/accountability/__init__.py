"""The gemeente's public role per initiative and its pledges of support, kept until delivered."""

"""Database ids typed by people (form fields, addresses): only what fits an INTEGER column."""

MAX_ID = 2**31 - 1  # PostgreSQL refuses larger numbers for INTEGER columns with an error


def parse_id(raw: str | None) -> int | None:
    """The id in ``raw``, or None when it is not a whole number from 1 to MAX_ID."""
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def parse_page(raw: str | None) -> int:
    """A page number from the address; the first page for anything else."""
    return parse_id(raw) or 1

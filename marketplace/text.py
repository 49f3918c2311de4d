"""Showing text that people typed: escaped, with line breaks and clickable links, never HTML."""

import re

from markupsafe import Markup, escape

_URL = re.compile(r"\bhttps?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def plain_text(value: str | None) -> Markup:
    """Paragraphs and line breaks kept, web addresses linked, everything else escaped."""
    if not value:
        return Markup("")
    paragraphs = []
    for block in re.split(r"\n\s*\n", value.replace("\r\n", "\n").strip()):
        escaped = str(escape(block))
        linked = _URL.sub(lambda m: (f'<a href="{m.group(0)}" rel="nofollow ugc noopener" '
                                     f'target="_blank">{m.group(0)}</a>'), escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return Markup("\n".join(paragraphs))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell that a spreadsheet shows as text, never runs as a formula (what people typed
    may start with "=")."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value

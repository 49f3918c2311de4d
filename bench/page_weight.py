"""What a phone downloads before the map shows: the map page and every style and script it links,
as sent with gzip and with Brotli (and uncompressed, for comparison).

    DATABASE_URL=... .venv/bin/python bench/page_weight.py [/kaart]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="(/static/[^"?]+\.(?:js|css))')


def main() -> None:
    from marketplace import create_app

    path = sys.argv[1] if len(sys.argv) > 1 else "/kaart"
    client = create_app().test_client()
    page = client.get(path).get_data(as_text=True)
    urls = [path, *dict.fromkeys(ASSET.findall(page))]
    totals = {"identity": 0, "gzip": 0, "br": 0}
    print(f"{'':44} {'plain':>9} {'gzip':>9} {'br':>9}")
    for url in urls:
        sizes = {}
        for encoding in totals:
            with client.get(url, headers={"Accept-Encoding": encoding}) as answer:
                sizes[encoding] = len(answer.get_data())
                totals[encoding] += sizes[encoding]
        print(f"{url:44} {sizes['identity']:9,} {sizes['gzip']:9,} {sizes['br']:9,}")
    print(f"{'total':44} {totals['identity']:9,} {totals['gzip']:9,} {totals['br']:9,}")


if __name__ == "__main__":
    main()

"""Links to static files carry a digest of their content; a request naming the current digest
may be kept for a year, any other is revalidated."""

import os
import re

from marketplace import static_files


def _linked(client, path: str) -> str:
    match = re.search(rf'"({re.escape(path)}\?v=[0-9a-f]{{12}})"', client.get("/kaart").text)
    assert match, f"{path} is not linked with a digest"
    return match.group(1)


def test_a_linked_file_is_kept_for_a_year(client):
    url = _linked(client, "/static/js/map-page.js")
    with client.get(url) as answer:
        assert answer.status_code == 200
        assert answer.cache_control.immutable and answer.cache_control.public
        assert answer.cache_control.max_age == static_files.YEAR


def test_without_the_current_digest_it_is_revalidated(client):
    for url in ("/static/js/map-page.js", "/static/js/map-page.js?v=000000000000"):
        with client.get(url) as answer:
            assert answer.status_code == 200
            assert not answer.cache_control.immutable and answer.cache_control.max_age is None


def test_a_changed_file_gets_a_new_digest(tmp_path):
    (tmp_path / "a.css").write_text("body { color: red }")
    first = static_files.digest_of(str(tmp_path), "a.css")
    (tmp_path / "a.css").write_text("body { color: blue }")
    os.utime(tmp_path / "a.css", (1, 1))  # a new modification time, whatever the clock did
    assert static_files.digest_of(str(tmp_path), "a.css") not in (None, first)
    assert static_files.digest_of(str(tmp_path), "missing.css") is None

"""Pages, styles, scripts and API answers leave compressed (Brotli when the browser takes it,
else gzip), say so, and decompress to exactly what an uncompressed request gets."""

import gzip

import brotli
import pytest


@pytest.mark.parametrize("path", ["/kaart", "/static/css/app.css", "/static/js/place-picker.js",
                                  "/api/v1/listings", "/api/v1/openapi.json"])
@pytest.mark.parametrize(("accept", "encoding", "decompress"), [
    ("gzip, deflate, br", "br", brotli.decompress),
    ("gzip", "gzip", gzip.decompress),
])
def test_text_leaves_compressed(client, make_listing, path, accept, encoding, decompress):
    for number in range(5):
        make_listing(title=f"Moestuin {number}")
    with client.get(path) as plain, client.get(path, headers={"Accept-Encoding": accept}) as packed:
        _check(plain, packed, path, encoding, decompress)


def _check(plain, packed, path, encoding, decompress):
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    body = decompress(packed.get_data())
    assert len(packed.get_data()) < len(body)
    if not path.startswith("/static"):  # a page carries a fresh CSRF token and nonce each time
        return
    assert body == plain.get_data()


def test_geojson_is_compressed_too(client, make_listing):
    for number in range(5):
        make_listing(title=f"Moestuin {number}")
    answer = client.get("/api/v1/listings?format=geojson", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.get_data()).startswith(b"{")


def test_images_are_not_compressed_again(client):
    """A PNG is compressed already: it leaves as it is, whatever the browser accepts."""
    with client.get("/static/vendor/leaflet/images/layers-2x.png",
                    headers={"Accept-Encoding": "gzip, br"}) as answer:
        assert answer.status_code == 200 and answer.mimetype == "image/png"
        assert len(answer.get_data()) > 500  # above the size threshold, so only the type decides
        assert "Content-Encoding" not in answer.headers


def test_a_streamed_export_is_left_alone(client, auth, make_user):
    from marketplace.auth.models import Role

    auth.login(make_user(Role.ADMIN))
    with client.get("/logboek/export.csv", headers={"Accept-Encoding": "gzip"}) as answer:
        assert answer.status_code == 200 and "Content-Encoding" not in answer.headers
        assert b"," in answer.get_data()


def test_a_page_for_someone_logged_in_is_not_compressed(client, auth, make_user):
    """Their CSRF token and personal data sit next to what a visitor typed: no BREACH."""
    auth.login(make_user())
    with client.get("/kaart?q=ladder", headers={"Accept-Encoding": "gzip, br"}) as page:
        assert page.status_code == 200 and "Content-Encoding" not in page.headers
    with client.get("/static/css/app.css", headers={"Accept-Encoding": "gzip"}) as style:
        assert style.headers["Content-Encoding"] == "gzip"
    with client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "gzip"}) as api:
        assert api.headers["Content-Encoding"] == "gzip"

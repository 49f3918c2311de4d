"""Photos: only real images, re-encoded without EXIF, scaled, randomly named, at most six."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from marketplace.extensions import db
from marketplace.listings.models import Listing, Photo
from marketplace.listings.photos import upload_dir
from tests.test_listings_routes import _form


def _jpeg_with_gps(width=3000, height=2000) -> bytes:
    image = Image.new("RGB", (width, height), "green")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x8825] = {2: (52.0, 5.0, 0.0), 4: (5.0, 1.0, 0.0)}  # GPS IFD
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _png(mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (40, 30), (255, 0, 0, 128) if mode == "RGBA" else 0).save(buffer, "PNG")
    return buffer.getvalue()


def _post(client, files, url="/nieuw/initiatief", **changes):
    data = _form(**changes)
    data["photos"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post(url, data=data, content_type="multipart/form-data")


def test_photo_is_reencoded_without_exif_scaled_and_renamed(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = _post(client, [("IMG_0001 thuis.jpg", _jpeg_with_gps())])
    assert response.status_code == 302
    photo = db.session.scalar(sa.select(Photo))
    assert "IMG_0001" not in photo.filename and len(photo.filename) == 36
    with Image.open(upload_dir() / photo.filename) as stored:
        assert max(stored.size) == 2048 and (photo.width, photo.height) == stored.size
        assert not stored.getexif()
    assert b"Camera maker" not in (upload_dir() / photo.filename).read_bytes()
    with Image.open(upload_dir() / photo.thumbnail) as thumbnail:
        assert max(thumbnail.size) == 480
    with client.get(f"/media/{photo.thumbnail}") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"


def test_png_with_transparency_becomes_jpeg(client, auth, make_user, gemeente):
    auth.login(make_user())
    assert _post(client, [("tekening.png", _png())]).status_code == 302
    photo = db.session.scalar(sa.select(Photo))
    with Image.open(upload_dir() / photo.filename) as stored:
        assert stored.format == "JPEG"


@pytest.mark.parametrize(("name", "content"), [
    ("virus.jpg", b"MZ not an image at all"),
    ("half.jpg", _jpeg_with_gps(200, 200)[:300]),
    ("plaatje.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
])
def test_fake_or_broken_images_are_refused(client, auth, make_user, gemeente, name, content):
    auth.login(make_user())
    response = _post(client, [(name, content)])
    assert response.status_code == 200
    assert name in response.text
    assert "Kies je foto's opnieuw" in response.text
    assert db.session.scalar(sa.select(sa.func.count(Listing.id))) == 0
    assert not upload_dir().exists() or not any(upload_dir().iterdir())


def test_too_large_photo_is_refused(client, auth, make_user, gemeente, app):
    app.config["MAX_PHOTO_BYTES"] = 1000
    auth.login(make_user())
    response = _post(client, [("groot.jpg", _jpeg_with_gps(300, 300))])
    assert "groter dan" in response.text


def test_at_most_six_photos(client, auth, make_user, gemeente):
    auth.login(make_user())
    response = _post(client, [(f"{n}.png", _png("RGB")) for n in range(7)])
    assert response.status_code == 200
    assert "hoogstens 6" in response.text


def test_owner_removes_a_photo(client, auth, make_user, make_listing):
    owner = make_user()
    auth.login(owner)
    _post(client, [("a.png", _png("RGB")), ("b.png", _png("RGB"))])
    listing = db.session.scalar(sa.select(Listing))
    first = listing.photos[0]
    files = (upload_dir() / first.filename, upload_dir() / first.thumbnail)
    response = client.post(f"/l/{listing.id}/bewerken", data=_form(
        publish=None, save="Opslaan", remove_photos=[str(first.id)],
        **{"resources-0-id": str(listing.resources[0].id)}))
    assert response.status_code == 302
    db.session.expire_all()
    assert len(db.session.get(Listing, listing.id).photos) == 1
    assert not any(path.exists() for path in files)


def test_photos_have_alt_text(client, auth, make_user, gemeente):
    auth.login(make_user())
    _post(client, [("a.png", _png("RGB"))])
    listing = db.session.scalar(sa.select(Listing))
    page = client.get(f"/l/{listing.id}").text
    assert 'alt="Foto 1 van 1: Moestuin op het Kerkplein"' in page

"""Photo uploads: checked to be real images, re-encoded without EXIF, scaled, randomly named."""

from __future__ import annotations

import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from marketplace.refused import Refused

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_SIDE = 2048
THUMBNAIL_SIDE = 480
MAX_PHOTOS = 6
MAX_PIXELS = 50_000_000  # refuse "decompression bombs" long before they fill the memory


class PhotoRefused(Refused):
    """The upload is not an acceptable photo; the message says why."""


@dataclass(frozen=True)
class StoredPhoto:
    filename: str
    thumbnail: str
    width: int
    height: int


def upload_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _open(data: bytes, name: str) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise PhotoRefused(_("%(name)s is not a JPEG, PNG or WebP photo.", name=name))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(_("%(name)s has too many pixels.", name=name))
            image.load()  # decodes fully: a truncated or fake file fails here
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
            Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused(_("%(name)s is not a photo we can read.", name=name)) from error
    return image


def _encode(image: Image.Image, side: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    # A fresh JPEG carries no EXIF, GPS or other metadata from the original.
    copy.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue(), copy.width, copy.height


def _flatten(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera recorded
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def store_photo(data: bytes, name: str) -> StoredPhoto:
    """Check, re-encode and save one upload with its thumbnail; raise PhotoRefused if unfit."""
    max_bytes = current_app.config["MAX_PHOTO_BYTES"]
    if len(data) > max_bytes:
        raise PhotoRefused(_("%(name)s is larger than %(size)d MB.", name=name,
                             size=max_bytes // 1_000_000))
    image = _flatten(_open(data, name))
    full, width, height = _encode(image, MAX_SIDE)
    thumbnail, _w, _h = _encode(image, THUMBNAIL_SIDE)
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    stored = StoredPhoto(f"{token}.jpg", f"{token}-thumb.jpg", width, height)
    (folder / stored.filename).write_bytes(full)
    (folder / stored.thumbnail).write_bytes(thumbnail)
    return stored


def delete_files(*filenames: str) -> None:
    for filename in filenames:
        (upload_dir() / filename).unlink(missing_ok=True)

"""The public copy of an applicant's photo: re-encoded, resized, renamed.

An uploaded JPEG or PNG may carry EXIF, GPS coordinates, the camera's serial number, a
thumbnail of the uncropped picture or text chunks. None of it may reach the public page:
the photo is decoded, turned upright (EXIF orientation), flattened to RGB and encoded
again as a fresh JPEG with no metadata, in two sizes (the practice page, the cards),
under random names in the upload folder.
"""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from prize.store.practices import PublicImage

PAGE_WIDTH = 1200
CARD_SIZE = (480, 320)
QUALITY = 82


class UnreadableImage(ValueError):
    """The file is not an image Pillow can decode (or is too large to decode safely)."""


def _encode(image: Image.Image, target: Path) -> None:
    # Only the pixels: Pillow would write again what `info` kept of the original (a JPEG
    # comment, for one); no exif=, no icc_profile= either.
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    pixels.save(target, "JPEG", quality=QUALITY, optimize=True, progressive=True)


def make_public_photo(source: Path, folder: Path, alt: str) -> PublicImage:
    """Write the page and card copies of ``source`` into ``folder``; their description."""
    try:
        with Image.open(source) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise UnreadableImage(str(error)) from None
    if upright.mode in ("RGBA", "LA", "P"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    else:
        upright = upright.convert("RGB")
    page = upright.copy()
    page.thumbnail((PAGE_WIDTH, PAGE_WIDTH), Image.Resampling.LANCZOS)
    card = ImageOps.fit(upright, CARD_SIZE, Image.Resampling.LANCZOS)
    folder.mkdir(parents=True, exist_ok=True)
    page_name = f"public-{secrets.token_hex(16)}.jpg"
    card_name = f"public-{secrets.token_hex(16)}.jpg"
    try:
        _encode(page, folder / page_name)
        _encode(card, folder / card_name)
    except OSError:
        (folder / page_name).unlink(missing_ok=True)
        (folder / card_name).unlink(missing_ok=True)
        raise
    return PublicImage(name=page_name, width=page.width, height=page.height,
                       card_name=card_name, card_width=card.width, card_height=card.height,
                       alt=alt)


async def public_photo(source: Path, folder: Path, alt: str) -> PublicImage:
    """:func:`make_public_photo` off the event loop (decoding takes tens of milliseconds)."""
    return await asyncio.to_thread(make_public_photo, source, folder, alt)


def remove(folder: Path, *names: str) -> None:
    for name in names:
        if name:
            (folder / name).unlink(missing_ok=True)

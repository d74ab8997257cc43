"""Pictures for the demo's published practices, so the catalogue shows what a photo looks
like on a card and a page. They are drawn here (coloured shapes, no people, no camera),
then go through the same re-encoding as an applicant's photo; loading twice adds none."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from prize import photos
from prize.store import practices as store
from prize.store.db import Database

# (top colour, bottom colour, shape colour) per demo practice, by slug start.
PALETTES = [
    ((0, 61, 122), (0, 122, 153), (255, 191, 71)),
    ((29, 107, 53), (120, 170, 60), (255, 255, 255)),
    ((176, 0, 32), (240, 120, 60), (255, 230, 160)),
    ((74, 45, 140), (200, 90, 160), (255, 220, 120)),
]
ALT = "An illustration of the demo project: coloured circles over a gradient (no people shown)"


def _draw(path: Path, number: int) -> None:
    top, bottom, shape = PALETTES[number % len(PALETTES)]
    width, height = 1200, 800
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / height
        draw.line([(0, y), (width, y)], fill=tuple(
            round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)))
    for step in range(5):
        radius = 60 + 35 * ((number + step) % 4)
        x = 150 + (step * 230 + number * 97) % (width - 300)
        y = 160 + (step * 170 + number * 61) % (height - 320)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], outline=shape, width=14)
    image.save(path, "PNG")


async def load(db: Database, upload_dir: Path) -> None:
    """Give each published demo practice (no entry behind it) without a photo a drawing."""
    without = [practice for practice in await store.latest(db, 100)
               if practice.entry_id is None and not practice.image_name]
    if not without:
        return
    with tempfile.TemporaryDirectory() as folder:
        for practice in without:
            source = Path(folder) / f"{practice.id}.png"
            await asyncio.to_thread(_draw, source, practice.id)
            photo = await photos.public_photo(source, upload_dir, ALT)
            async with db.transaction() as conn:
                await store.set_public_photo(conn, practice.id, photo, None,
                                             now=practice.updated_at)

-- A good-practice page shows the photo the applicant chose when approving the public
-- text, and key figures as tiles.
--
-- The photo is a copy of one of the entry's image attachments, re-encoded with Pillow (no
-- EXIF, GPS or camera data survives) and resized: `image_name` for the practice page,
-- `image_card_name` for the catalogue's cards, both random names under PRIZE_UPLOAD_DIR.
-- `image_alt` is the applicant's description of it for people who cannot see it.
-- The figures start as the entry's answers; the secretariat may edit them.
-- Columns of practices: the public version's triggers of 0041 already count them.

ALTER TABLE practices ADD COLUMN image_name TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN image_card_name TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN image_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN image_height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN image_card_width INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN image_card_height INTEGER NOT NULL DEFAULT 0;
ALTER TABLE practices ADD COLUMN image_alt TEXT NOT NULL DEFAULT '';
ALTER TABLE practices ADD COLUMN young_people INTEGER;
ALTER TABLE practices ADD COLUMN adults INTEGER;
ALTER TABLE practices ADD COLUMN people_reached INTEGER;
ALTER TABLE practices ADD COLUMN running_since INTEGER;

-- What the call of each edition says beyond its title and theme, set on the edition's
-- settings page: the scope in both languages (shown on the call), the prize money (whole
-- euros) and how many awards, and the words the edition adds to the "substances and
-- behaviours" list (2025 added gambling, gaming, social media and screens), as a JSON list
-- of {"key", "en", "fr"}.
ALTER TABLE editions ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE editions ADD COLUMN scope_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE editions ADD COLUMN prize_money INTEGER CHECK (prize_money IS NULL OR prize_money >= 0);
ALTER TABLE editions ADD COLUMN awards INTEGER CHECK (awards IS NULL OR awards >= 1);
ALTER TABLE editions ADD COLUMN substances_extra TEXT NOT NULL DEFAULT '[]';

-- The public pages show these too (the call, an edition's page): a change of them counts
-- as a public change, like the columns 0041 listed.
DROP TRIGGER public_edition_update;
CREATE TRIGGER public_edition_update AFTER UPDATE OF year, title, title_fr, theme, theme_fr,
    status, opens_at, closes_at, timezone, scope, scope_fr, prize_money, awards,
    substances_extra ON editions
WHEN old.status <> 'draft' OR new.status <> 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

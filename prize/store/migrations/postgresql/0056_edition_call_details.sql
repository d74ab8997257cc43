-- PostgreSQL's 0056: as the shared file, the trigger calling catalogue_version_bump().
ALTER TABLE editions ADD COLUMN scope TEXT NOT NULL DEFAULT '';
ALTER TABLE editions ADD COLUMN scope_fr TEXT NOT NULL DEFAULT '';
ALTER TABLE editions ADD COLUMN prize_money INTEGER CHECK (prize_money IS NULL OR prize_money >= 0);
ALTER TABLE editions ADD COLUMN awards INTEGER CHECK (awards IS NULL OR awards >= 1);
ALTER TABLE editions ADD COLUMN substances_extra TEXT NOT NULL DEFAULT '[]';

DROP TRIGGER public_edition_update ON editions;
CREATE TRIGGER public_edition_update AFTER UPDATE OF year, title, title_fr, theme, theme_fr,
    status, opens_at, closes_at, timezone, scope, scope_fr, prize_money, awards,
    substances_extra ON editions
    FOR EACH ROW WHEN (OLD.status <> 'draft' OR NEW.status <> 'draft')
    EXECUTE FUNCTION catalogue_version_bump();

-- PostgreSQL's 0041: the public version is bumped only by changes public pages show
-- (the shared file's WHEN clauses, as trigger WHEN clauses or inside the functions where
-- the condition needs a query, which PostgreSQL's WHEN may not hold).
DROP TRIGGER catalogue_practice_insert ON practices;
DROP TRIGGER catalogue_practice_update ON practices;
DROP TRIGGER catalogue_practice_delete ON practices;
DROP TRIGGER catalogue_edition_insert ON editions;
DROP TRIGGER catalogue_edition_update ON editions;
DROP TRIGGER catalogue_edition_delete ON editions;
DROP TRIGGER catalogue_criteria_insert ON criteria;
DROP TRIGGER catalogue_criteria_update ON criteria;
DROP TRIGGER catalogue_criteria_delete ON criteria;
DROP TRIGGER catalogue_jurors_insert ON edition_jurors;
DROP TRIGGER catalogue_jurors_update ON edition_jurors;

CREATE OR REPLACE FUNCTION catalogue_version_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER public_practice_insert AFTER INSERT ON practices
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_practice_update AFTER UPDATE ON practices
    FOR EACH ROW WHEN (OLD.status = 'published' OR NEW.status = 'published')
    EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_practice_delete AFTER DELETE ON practices
    FOR EACH ROW WHEN (OLD.status = 'published') EXECUTE FUNCTION catalogue_version_bump();

CREATE TRIGGER public_edition_insert AFTER INSERT ON editions
    FOR EACH ROW WHEN (NEW.status <> 'draft') EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_edition_update AFTER UPDATE OF year, title, title_fr, theme, theme_fr,
    status, opens_at, closes_at, timezone ON editions
    FOR EACH ROW WHEN (OLD.status <> 'draft' OR NEW.status <> 'draft')
    EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_edition_delete AFTER DELETE ON editions
    FOR EACH ROW WHEN (OLD.status <> 'draft') EXECUTE FUNCTION catalogue_version_bump();

CREATE FUNCTION public_criterion_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF (TG_OP <> 'DELETE' AND (SELECT status FROM editions WHERE id = NEW.edition_id)
                IS DISTINCT FROM 'draft')
           OR (TG_OP <> 'INSERT' AND (SELECT status FROM editions WHERE id = OLD.edition_id)
                IS DISTINCT FROM 'draft') THEN
            UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
        END IF;
        RETURN NULL;
    END
    $$;
CREATE TRIGGER public_criterion_insert AFTER INSERT ON criteria
    FOR EACH ROW EXECUTE FUNCTION public_criterion_bump();
CREATE TRIGGER public_criterion_update AFTER UPDATE ON criteria
    FOR EACH ROW EXECUTE FUNCTION public_criterion_bump();
CREATE TRIGGER public_criterion_delete AFTER DELETE ON criteria
    FOR EACH ROW EXECUTE FUNCTION public_criterion_bump();

CREATE TRIGGER public_juror_insert AFTER INSERT ON edition_jurors
    FOR EACH ROW WHEN (NEW.status = 'active') EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_juror_update AFTER UPDATE OF status, edition_id ON edition_jurors
    FOR EACH ROW WHEN (OLD.status = 'active' OR NEW.status = 'active')
    EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER public_juror_delete AFTER DELETE ON edition_jurors
    FOR EACH ROW WHEN (OLD.status = 'active') EXECUTE FUNCTION catalogue_version_bump();

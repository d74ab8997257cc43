-- PostgreSQL version of 0088: a published good practice in both working languages
-- (issue 21), the public text in the other language, shown once the applicant approved
-- it. Public text, no personal data. Not part of the search index, as on SQLite.

CREATE TABLE practice_translations (
    practice_id BIGINT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    key_facts TEXT NOT NULL DEFAULT '',
    activities TEXT NOT NULL DEFAULT '',
    youth_participation TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    approved_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (practice_id, language)
);

-- Shown on the practice's public page and in the API while the practice is published
-- (see 0041): a change there is a change of the public data. PostgreSQL allows no
-- subquery in a trigger's WHEN, so the practice's status is read in the function.
CREATE FUNCTION public_practice_translation_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    DECLARE
        practice BIGINT;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            practice := OLD.practice_id;
        ELSE
            practice := NEW.practice_id;
        END IF;
        -- A practice deleted with its translations (the cascade) has no status: no bump,
        -- as on SQLite; deleting the practice bumped already.
        IF (SELECT status FROM practices WHERE id = practice) = 'published' THEN
            UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
        END IF;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER public_practice_translation_insert AFTER INSERT ON practice_translations
    FOR EACH ROW EXECUTE FUNCTION public_practice_translation_bump();
CREATE TRIGGER public_practice_translation_update AFTER UPDATE ON practice_translations
    FOR EACH ROW EXECUTE FUNCTION public_practice_translation_bump();
CREATE TRIGGER public_practice_translation_delete AFTER DELETE ON practice_translations
    FOR EACH ROW EXECUTE FUNCTION public_practice_translation_bump();

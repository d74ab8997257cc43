-- A published good practice in both working languages (issue 21): the public text in the
-- other language, prepared by the secretariat (from the jury's translation of the entry),
-- shown only once the applicant approved it. Public text, no personal data.

CREATE TABLE practice_translations (
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
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
-- (see 0041): a change there is a change of the public data.
CREATE TRIGGER public_practice_translation_insert AFTER INSERT ON practice_translations
WHEN (SELECT status FROM practices WHERE id = new.practice_id) = 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_practice_translation_update AFTER UPDATE ON practice_translations
WHEN (SELECT status FROM practices WHERE id = new.practice_id) = 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_practice_translation_delete AFTER DELETE ON practice_translations
WHEN (SELECT status FROM practices WHERE id = old.practice_id) IS 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

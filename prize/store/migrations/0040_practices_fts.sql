-- The public catalogue: full-text search over the public text of practices, a facet
-- table for indexed filtering, and a version number that changes whenever anything
-- shown on a public page changes (used for ETags and in-process caches).

CREATE VIRTUAL TABLE practices_fts USING fts5(
    title, organisation, city, summary, key_facts, activities, youth_participation,
    evaluation, jury_statement,
    content = 'practices', content_rowid = 'id',
    tokenize = "porter unicode61 remove_diacritics 2"
);

CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices
BEGIN
    INSERT INTO practices_fts (rowid, title, organisation, city, summary, key_facts, activities,
                               youth_participation, evaluation, jury_statement)
    VALUES (new.id, new.title, new.organisation, new.city, new.summary, new.key_facts,
            new.activities, new.youth_participation, new.evaluation, new.jury_statement);
END;

CREATE TRIGGER practices_fts_delete AFTER DELETE ON practices
BEGIN
    INSERT INTO practices_fts (practices_fts, rowid, title, organisation, city, summary, key_facts,
                               activities, youth_participation, evaluation, jury_statement)
    VALUES ('delete', old.id, old.title, old.organisation, old.city, old.summary, old.key_facts,
            old.activities, old.youth_participation, old.evaluation, old.jury_statement);
END;

CREATE TRIGGER practices_fts_update AFTER UPDATE OF title, organisation, city, summary, key_facts,
    activities, youth_participation, evaluation, jury_statement ON practices
BEGIN
    INSERT INTO practices_fts (practices_fts, rowid, title, organisation, city, summary, key_facts,
                               activities, youth_participation, evaluation, jury_statement)
    VALUES ('delete', old.id, old.title, old.organisation, old.city, old.summary, old.key_facts,
            old.activities, old.youth_participation, old.evaluation, old.jury_statement);
    INSERT INTO practices_fts (rowid, title, organisation, city, summary, key_facts, activities,
                               youth_participation, evaluation, jury_statement)
    VALUES (new.id, new.title, new.organisation, new.city, new.summary, new.key_facts,
            new.activities, new.youth_participation, new.evaluation, new.jury_statement);
END;

INSERT INTO practices_fts (practices_fts) VALUES ('rebuild');

-- One row per (practice, facet, value): filters become index lookups, not JSON scans.
CREATE TABLE practice_facets (
    practice_id INTEGER NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (facet, value, practice_id)
) WITHOUT ROWID;
CREATE INDEX practice_facets_practice ON practice_facets(practice_id);

CREATE TRIGGER practice_facets_insert AFTER INSERT ON practices
BEGIN
    INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
        SELECT new.id, 'country', new.country
        UNION SELECT new.id, 'country', value FROM json_each(new.countries)
        UNION SELECT new.id, 'setting', value FROM json_each(new.settings)
        UNION SELECT new.id, 'level', value FROM json_each(new.levels)
        UNION SELECT new.id, 'target_group', value FROM json_each(new.target_groups);
END;

CREATE TRIGGER practice_facets_update AFTER UPDATE OF country, countries, settings, levels,
    target_groups ON practices
BEGIN
    DELETE FROM practice_facets WHERE practice_id = old.id;
    INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
        SELECT new.id, 'country', new.country
        UNION SELECT new.id, 'country', value FROM json_each(new.countries)
        UNION SELECT new.id, 'setting', value FROM json_each(new.settings)
        UNION SELECT new.id, 'level', value FROM json_each(new.levels)
        UNION SELECT new.id, 'target_group', value FROM json_each(new.target_groups);
END;

CREATE TRIGGER practice_facets_delete AFTER DELETE ON practices
BEGIN
    DELETE FROM practice_facets WHERE practice_id = old.id;
END;

INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
    SELECT id, 'country', country FROM practices
    UNION SELECT p.id, 'country', j.value FROM practices p, json_each(p.countries) j
    UNION SELECT p.id, 'setting', j.value FROM practices p, json_each(p.settings) j
    UNION SELECT p.id, 'level', j.value FROM practices p, json_each(p.levels) j
    UNION SELECT p.id, 'target_group', j.value FROM practices p, json_each(p.target_groups) j;

CREATE INDEX practices_published_order ON practices(status, published_at);

-- Bumped by every change to what public pages show.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE TRIGGER catalogue_practice_insert AFTER INSERT ON practices
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_practice_update AFTER UPDATE ON practices
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_practice_delete AFTER DELETE ON practices
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_edition_insert AFTER INSERT ON editions
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_edition_update AFTER UPDATE ON editions
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_edition_delete AFTER DELETE ON editions
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_criteria_insert AFTER INSERT ON criteria
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_criteria_update AFTER UPDATE ON criteria
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_criteria_delete AFTER DELETE ON criteria
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_jurors_insert AFTER INSERT ON edition_jurors
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_jurors_update AFTER UPDATE ON edition_jurors
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

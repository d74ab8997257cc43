-- prize: rebuilds tables
-- Rounds (issue 15, part 3): an edition has one round, or a first round and a final one.
-- Assignments, score sheets and criteria belong to a round; existing rows are round 1.
-- The keys change (a juror scores an entry once per round), which SQLite cannot do in
-- place: each table is rebuilt (https://sqlite.org/lang_altertable.html#otheralter), with
-- foreign keys off around the transaction (Database.migrate) and its indexes and triggers
-- recreated (criteria's from 0041; scores and sheet_reinstatements keep pointing at
-- score_sheets by id, which the copy keeps).

ALTER TABLE editions ADD COLUMN rounds INTEGER NOT NULL DEFAULT 1 CHECK (rounds IN (1, 2));
ALTER TABLE editions ADD COLUMN current_round INTEGER NOT NULL DEFAULT 1
    CHECK (current_round BETWEEN 1 AND rounds);
-- The final round's deadline (UTC text like the other dates); NULL when not set.
ALTER TABLE editions ADD COLUMN final_judging_ends_at TEXT;

CREATE TABLE criteria_new (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2)),
    key TEXT NOT NULL,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    title_fr TEXT NOT NULL DEFAULT '',
    guidance TEXT NOT NULL DEFAULT '',
    guidance_fr TEXT NOT NULL DEFAULT '',
    weight REAL NOT NULL CHECK (weight > 0),
    scale_min INTEGER NOT NULL DEFAULT 0,
    scale_max INTEGER NOT NULL DEFAULT 5,
    -- JSON list: one sentence per level from scale_min to scale_max.
    rubric TEXT NOT NULL DEFAULT '[]',
    rubric_fr TEXT NOT NULL DEFAULT '[]',
    CHECK (scale_max > scale_min),
    UNIQUE (edition_id, round, key)
);
INSERT INTO criteria_new (id, edition_id, round, key, position, title, title_fr, guidance,
    guidance_fr, weight, scale_min, scale_max, rubric, rubric_fr)
SELECT id, edition_id, 1, key, position, title, title_fr, guidance, guidance_fr, weight,
    scale_min, scale_max, rubric, rubric_fr FROM criteria;
DROP TABLE criteria;
ALTER TABLE criteria_new RENAME TO criteria;

CREATE TRIGGER public_criterion_insert AFTER INSERT ON criteria
WHEN (SELECT status FROM editions WHERE id = new.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_criterion_update AFTER UPDATE ON criteria
WHEN (SELECT status FROM editions WHERE id = old.edition_id) IS NOT 'draft'
    OR (SELECT status FROM editions WHERE id = new.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_criterion_delete AFTER DELETE ON criteria
WHEN (SELECT status FROM editions WHERE id = old.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

CREATE TABLE assignments_new (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2)),
    affinity REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, juror_id, round)
);
INSERT INTO assignments_new (entry_id, juror_id, edition_id, round, affinity, created_at)
SELECT entry_id, juror_id, edition_id, 1, affinity, created_at FROM assignments;
DROP TABLE assignments;
ALTER TABLE assignments_new RENAME TO assignments;
CREATE INDEX assignments_juror ON assignments(juror_id, edition_id);

CREATE TABLE score_sheets_new (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2)),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    overall_comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    harm_reported INTEGER NOT NULL DEFAULT 0,
    harm_note TEXT NOT NULL DEFAULT '',
    UNIQUE (entry_id, juror_id, round)
);
INSERT INTO score_sheets_new (id, entry_id, juror_id, round, status, overall_comment, version,
    created_at, updated_at, submitted_at, harm_reported, harm_note)
SELECT id, entry_id, juror_id, 1, status, overall_comment, version, created_at, updated_at,
    submitted_at, harm_reported, harm_note FROM score_sheets;
DROP TABLE score_sheets;
ALTER TABLE score_sheets_new RENAME TO score_sheets;

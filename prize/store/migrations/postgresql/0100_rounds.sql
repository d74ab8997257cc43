-- PostgreSQL's 0100: the shared file rebuilds three tables (SQLite cannot change a key or
-- a unique constraint in place); PostgreSQL alters them. Columns come last, which no
-- query depends on; the criteria triggers stay as 0041 made them.
ALTER TABLE editions ADD COLUMN rounds INTEGER NOT NULL DEFAULT 1 CHECK (rounds IN (1, 2));
ALTER TABLE editions ADD COLUMN current_round INTEGER NOT NULL DEFAULT 1;
ALTER TABLE editions ADD CONSTRAINT editions_current_round_check
    CHECK (current_round BETWEEN 1 AND rounds);
ALTER TABLE editions ADD COLUMN final_judging_ends_at TEXT;

ALTER TABLE criteria ADD COLUMN round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2));
ALTER TABLE criteria DROP CONSTRAINT criteria_edition_id_key_key;
ALTER TABLE criteria ADD CONSTRAINT criteria_edition_id_round_key_key UNIQUE (edition_id, round, key);

ALTER TABLE assignments ADD COLUMN round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2));
ALTER TABLE assignments DROP CONSTRAINT assignments_pkey;
ALTER TABLE assignments ADD PRIMARY KEY (entry_id, juror_id, round);

ALTER TABLE score_sheets ADD COLUMN round INTEGER NOT NULL DEFAULT 1 CHECK (round IN (1, 2));
ALTER TABLE score_sheets DROP CONSTRAINT score_sheets_entry_id_juror_id_key;
ALTER TABLE score_sheets ADD CONSTRAINT score_sheets_entry_id_juror_id_round_key
    UNIQUE (entry_id, juror_id, round);

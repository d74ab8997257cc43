-- A juror can report a risk of harm in an entry (ethics) on their score sheet: a flag and a
-- short note, shown to the secretariat on the entry's page and the progress page whatever the
-- scores say. Jury work, never public: no trigger on the public version (see 0041).

ALTER TABLE score_sheets ADD COLUMN harm_reported INTEGER NOT NULL DEFAULT 0;
ALTER TABLE score_sheets ADD COLUMN harm_note TEXT NOT NULL DEFAULT '';

-- The jury meeting of an edition (one per round; round 1 until rounds exist): who
-- attended, the guests named in free text, and the jury's vote on each decision taken
-- there. The decision itself and the jury's statement are the entry's status and
-- statement, changed through the lifecycle like every decision; `outcome` keeps the
-- status the meeting gave, for the minutes.
-- Jury work, never public: no trigger on the public version (see 0041).

CREATE TABLE jury_meetings (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    round INTEGER NOT NULL DEFAULT 1 CHECK (round >= 1),
    held_at TEXT NOT NULL,
    guests TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (edition_id, round)
);

CREATE TABLE jury_meeting_attendees (
    meeting_id INTEGER NOT NULL REFERENCES jury_meetings(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE jury_meeting_decisions (
    meeting_id INTEGER NOT NULL REFERENCES jury_meetings(id) ON DELETE CASCADE,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    outcome TEXT NOT NULL,
    votes_for INTEGER CHECK (votes_for IS NULL OR votes_for >= 0),
    votes_against INTEGER CHECK (votes_against IS NULL OR votes_against >= 0),
    votes_abstaining INTEGER CHECK (votes_abstaining IS NULL OR votes_abstaining >= 0),
    recorded_at TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    PRIMARY KEY (meeting_id, entry_id)
);

-- A submitted sheet whose juror has a conflict with the entry counts in no figure; it is
-- kept for the audit. The secretariat may reinstate it, saying why: one row here per
-- reinstated sheet (who, when, why), and the sheet counts again whatever conflict the
-- juror has with the entry. The same action is in the audit log (`sheet.reinstated`).
-- Jury work, never public: no trigger on the public version (see 0041).

CREATE TABLE sheet_reinstatements (
    sheet_id INTEGER PRIMARY KEY REFERENCES score_sheets(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    reinstated_by INTEGER REFERENCES users(id),
    reinstated_at TEXT NOT NULL
);

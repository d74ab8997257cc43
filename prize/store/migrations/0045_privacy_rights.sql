-- The rights of access and erasure, and retention (issue 17, parts 2-4).
--
-- users.erased_at: when the account was erased. The row stays (score sheets, entries and
-- the audit log point to it), holding only a pseudonym ("Juror 4 (2026)") and an address
-- under .invalid that nobody can sign in with.
ALTER TABLE users ADD COLUMN erased_at TEXT;

-- entries.erased_at: when the entry's personal data was erased (with its applicant's
-- account, or when its edition's retention period ended). Such an entry keeps its
-- project text for the prize's record, without contact person or unpublished files.
ALTER TABLE entries ADD COLUMN erased_at TEXT;

-- How many months after an edition is archived the personal data of its entries that
-- were not published is kept (the secretariat sets it, 1 to 240).
ALTER TABLE editions ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 24
    CHECK (retention_months BETWEEN 1 AND 240);

-- A person's request that their account be erased; the secretariat confirms it.
CREATE TABLE erasure_requests (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
    requested_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users(id)
);
CREATE UNIQUE INDEX erasure_requests_pending ON erasure_requests(user_id) WHERE status = 'pending';

-- The audit log stays append-only, with one documented exception (docs/privacy.md): an
-- erasure may replace the details of a record that named the erased person with
-- {"scrubbed": "erasure"}, and change nothing else. Deleting stays impossible.
DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (new.id = old.id AND new.at = old.at AND new.actor_id IS old.actor_id
          AND new.action = old.action AND new.subject_type = old.subject_type
          AND new.subject_id IS old.subject_id AND new.edition_id IS old.edition_id
          AND new.details = '{"scrubbed": "erasure"}')
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

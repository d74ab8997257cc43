-- The core schema: people, editions and their criteria, entries, jury work,
-- decisions, public practices, mail and the audit trail.
-- Times are ISO 8601 strings in UTC ("2026-05-30T22:00:00Z").

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'juror', 'applicant', 'advisor')),
    is_active INTEGER NOT NULL DEFAULT 1,
    email_verified_at TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    -- Bumped on password change and deactivation: older sessions stop working.
    session_epoch INTEGER NOT NULL DEFAULT 0,
    last_seen_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'invitation')),
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX tokens_user ON tokens(user_id, purpose);

CREATE TABLE login_attempts (
    id INTEGER PRIMARY KEY,
    -- "account:<email>" or "address:<ip>"; kept only for the throttling window.
    throttle_key TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX login_attempts_key ON login_attempts(throttle_key, at);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'logged')),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    related_user_id INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_kind ON outbox(kind, recipient, created_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id INTEGER,
    edition_id INTEGER,
    details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_subject ON audit_log(subject_type, subject_id);
CREATE INDEX audit_log_edition ON audit_log(edition_id, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE editions (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL UNIQUE,
    title TEXT NOT NULL,
    title_fr TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    theme_fr TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'open', 'screening', 'judging', 'deliberation', 'published', 'archived')),
    opens_at TEXT,
    closes_at TEXT,
    judging_ends_at TEXT,
    timezone TEXT NOT NULL DEFAULT 'Europe/Paris',
    -- NULL: every juror without a conflict scores every entry (the real jury of seven).
    jurors_per_entry INTEGER DEFAULT 3 CHECK (jurors_per_entry IS NULL OR jurors_per_entry >= 1),
    spread_threshold REAL NOT NULL DEFAULT 25,
    eligible_countries TEXT NOT NULL DEFAULT '[]',
    assignment_released_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE criteria (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
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
    UNIQUE (edition_id, key)
);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    owner_id INTEGER NOT NULL REFERENCES users(id),
    reference TEXT UNIQUE,
    reference_number INTEGER,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'submitted', 'eligible', 'ineligible', 'shortlisted',
                          'winner', 'special_mention', 'not_selected', 'withdrawn')),
    -- Copied out of the application for lists, search and conflicts.
    title TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    -- The whole application as JSON (prize.domain.entries.Application).
    application TEXT NOT NULL DEFAULT '{}',
    -- Optimistic locking: a save names the version it started from.
    version INTEGER NOT NULL DEFAULT 1,
    status_reason TEXT NOT NULL DEFAULT '',
    jury_statement TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (edition_id, reference_number)
);
CREATE INDEX entries_owner ON entries(owner_id);
CREATE INDEX entries_edition ON entries(edition_id, status);

CREATE TABLE entry_countries (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    PRIMARY KEY (entry_id, country)
);

CREATE TABLE entry_revisions (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    changed_fields TEXT NOT NULL DEFAULT '[]',
    application TEXT NOT NULL
);
CREATE INDEX entry_revisions_entry ON entry_revisions(entry_id, at);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    stored_name TEXT NOT NULL UNIQUE,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- The applicant allows this file on the public good-practice page.
    public_allowed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX attachments_entry ON attachments(entry_id);

-- Jury -----------------------------------------------------------------------

CREATE TABLE juror_profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    country TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '[]',
    organisation TEXT NOT NULL DEFAULT '',
    expertise_settings TEXT NOT NULL DEFAULT '[]',
    expertise_groups TEXT NOT NULL DEFAULT '[]',
    bio TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE edition_jurors (
    edition_id INTEGER NOT NULL REFERENCES editions(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'withdrawn', 'revoked')),
    invited_at TEXT NOT NULL,
    accepted_at TEXT,
    PRIMARY KEY (edition_id, user_id)
);

CREATE TABLE conflicts (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    source TEXT NOT NULL CHECK (source IN ('declared', 'secretariat')),
    reason TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, juror_id)
);

CREATE TABLE preferences (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    preference INTEGER NOT NULL CHECK (preference IN (-1, 1)),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, juror_id)
);

CREATE TABLE assignment_rules (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    rule TEXT NOT NULL CHECK (rule IN ('pin', 'forbid')),
    created_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, juror_id)
);

CREATE TABLE assignments (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    affinity REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, juror_id)
);
CREATE INDEX assignments_juror ON assignments(juror_id, edition_id);

-- Scoring --------------------------------------------------------------------

CREATE TABLE score_sheets (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    juror_id INTEGER NOT NULL REFERENCES users(id),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    overall_comment TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    submitted_at TEXT,
    UNIQUE (entry_id, juror_id)
);

CREATE TABLE scores (
    sheet_id INTEGER NOT NULL REFERENCES score_sheets(id) ON DELETE CASCADE,
    criterion_key TEXT NOT NULL,
    score INTEGER,
    justification TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (sheet_id, criterion_key)
);

CREATE TABLE advice (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Public good practice -------------------------------------------------------

CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER UNIQUE REFERENCES entries(id),
    edition_id INTEGER NOT NULL REFERENCES editions(id),
    slug TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'awaiting_applicant', 'approved', 'published', 'unpublished')),
    award TEXT NOT NULL CHECK (award IN ('winner', 'special_mention', 'shortlisted')),
    language TEXT NOT NULL DEFAULT 'en',
    title TEXT NOT NULL,
    organisation TEXT NOT NULL,
    country TEXT NOT NULL,
    countries TEXT NOT NULL DEFAULT '[]',
    city TEXT NOT NULL DEFAULT '',
    year INTEGER NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    key_facts TEXT NOT NULL DEFAULT '',
    activities TEXT NOT NULL DEFAULT '',
    youth_participation TEXT NOT NULL DEFAULT '',
    evaluation TEXT NOT NULL DEFAULT '',
    jury_statement TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '[]',
    settings TEXT NOT NULL DEFAULT '[]',
    levels TEXT NOT NULL DEFAULT '[]',
    target_groups TEXT NOT NULL DEFAULT '[]',
    substances TEXT NOT NULL DEFAULT '[]',
    image_attachment_ids TEXT NOT NULL DEFAULT '[]',
    applicant_note TEXT NOT NULL DEFAULT '',
    published_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX practices_public ON practices(status, year);

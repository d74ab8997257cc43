-- Translations of entries into the other working language (issue 21), and the
-- translator role: a person who sees only the entries the secretariat hands them.

-- The users' role check gains 'translator'. SQLite cannot alter a CHECK constraint, and
-- rebuilding `users` would cascade through every table pointing at it, so the stored
-- definition is edited in place, as SQLite's documentation describes for changes that
-- leave the stored rows valid; RESET reloads the schema on this connection.
PRAGMA writable_schema = ON;
UPDATE sqlite_master SET sql = replace(sql, '''applicant'', ''advisor'')', '''applicant'', ''advisor'', ''translator'')') WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

-- One translation of an entry per language: the texts of its text answers, keyed by
-- question, a draft until marked complete. Jury work, never public.
CREATE TABLE entry_translations (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    texts TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'complete')),
    version INTEGER NOT NULL DEFAULT 1,
    translator_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    translator_role TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT,
    UNIQUE (entry_id, language)
);

-- Which entries the secretariat handed to which translator.
CREATE TABLE translation_handovers (
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    translator_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    handed_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (entry_id, translator_id)
);

CREATE INDEX translation_handovers_translator ON translation_handovers (translator_id);

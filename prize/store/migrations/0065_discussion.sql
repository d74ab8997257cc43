-- The jury's discussion: one thread per entry and round (round 1 until rounds exist),
-- written by jurors, advisors and the secretariat. Who may read a thread is decided in
-- prize.domain.discussion (the blind and conflict rules), never here.
-- Jury work, never public: no trigger on the public version (see 0041).

CREATE TABLE discussion_comments (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
    round INTEGER NOT NULL DEFAULT 1,
    author_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    edited_at TEXT
);

CREATE INDEX discussion_comments_thread ON discussion_comments (entry_id, round, created_at);
CREATE INDEX discussion_comments_created ON discussion_comments (created_at);

-- Each person's choice of a daily digest of new comments (no row: the default of their
-- role), and the moment up to which the last digest sent covered the comments.
CREATE TABLE discussion_digests (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    enabled INTEGER NOT NULL,
    covered_until TEXT
);

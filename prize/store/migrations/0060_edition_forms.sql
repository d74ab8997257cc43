-- Each edition's application form (prize.domain.form_schema.FormSchema as JSON): its
-- sections and questions, with their texts in English and French. An edition without a
-- row uses the default form (today's fields), so older editions keep theirs unchanged.
-- Configuration, not personal data; never public as such.

CREATE TABLE edition_forms (
    edition_id INTEGER PRIMARY KEY REFERENCES editions(id) ON DELETE CASCADE,
    form TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

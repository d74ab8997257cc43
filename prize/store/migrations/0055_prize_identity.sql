-- The prize's identity as data the secretariat edits (/admin/identity), not template text:
-- its name and short name in both languages, the prefix of entry references, the organiser
-- line and the contact address that close every email, and the privacy notice's link.
-- One row. Every public page shows the name, so a change bumps the public version (0041)
-- and the caches of public pages, in this process and in the others, are refreshed.
CREATE TABLE prize_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    short_name TEXT NOT NULL,
    short_name_fr TEXT NOT NULL,
    reference_prefix TEXT NOT NULL,
    organiser TEXT NOT NULL,
    organiser_fr TEXT NOT NULL,
    contact_email TEXT NOT NULL,
    privacy_url TEXT NOT NULL DEFAULT '',
    updated_at TEXT
);

INSERT INTO prize_identity (id, name, name_fr, short_name, short_name_fr, reference_prefix,
                            organiser, organiser_fr, contact_email, privacy_url)
VALUES (1, 'European Prize for Drug Prevention', 'Prix européen de la prévention des drogues',
        'Drug Prevention Prize', 'Prix de la prévention des drogues', 'EDPP',
        'Pompidou Group, Council of Europe', 'Groupe Pompidou, Conseil de l’Europe',
        'secretariat@prize.invalid', '');

CREATE TRIGGER public_identity_update AFTER UPDATE ON prize_identity
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

-- The texts of the emails the secretariat has changed: one row per message, language and
-- edition (NULL: the messages sent outside an edition, e.g. verification and reset).
-- A message without a row is sent with its default text (prize/domain/email_texts.py);
-- "Restore the default" deletes the row. The bump keeps every worker's copy current.
CREATE TABLE email_texts (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER REFERENCES editions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    locale TEXT NOT NULL CHECK (locale IN ('en', 'fr')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX email_texts_one ON email_texts (COALESCE(edition_id, 0), kind, locale);

CREATE TRIGGER config_email_text_insert AFTER INSERT ON email_texts
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER config_email_text_update AFTER UPDATE ON email_texts
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER config_email_text_delete AFTER DELETE ON email_texts
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

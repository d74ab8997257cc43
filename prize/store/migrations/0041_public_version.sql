-- One version of the public data: everything the public pages, the JSON API, the feed
-- and the sitemap show, and nothing else. The caches of public pages (whole responses
-- in prize/web/page_cache.py, query results in prize/web/public.py) and their ETags
-- key on it (`Database.public_version()`), so a juror's autosave, a login, a session,
-- mail in the outbox or a line of the audit log no longer empty them.
--
-- The row is `catalogue_version` of 0040 (the name stays: it is the public catalogue's
-- version). Its triggers there fired on any change to practices, editions, criteria
-- and jurors, whatever the row; these fire only when a row the public can see changes.
--
-- Tables left out on purpose: users, tokens, login_attempts, outbox and audit_log
-- (nothing of them is public); entries, their revisions, countries and attachments
-- (public pages show the practice, a copy made at publication; the image route is not
-- cached and reads the attachment at every request); juror profiles, conflicts,
-- preferences, assignment rules, assignments, score sheets, scores and advice (jury
-- work, never public); practice_facets and practices_fts (kept from practices by
-- triggers, so they change only with a practices row, which counts).

DROP TRIGGER catalogue_practice_insert;
DROP TRIGGER catalogue_practice_update;
DROP TRIGGER catalogue_practice_delete;
DROP TRIGGER catalogue_edition_insert;
DROP TRIGGER catalogue_edition_update;
DROP TRIGGER catalogue_edition_delete;
DROP TRIGGER catalogue_criteria_insert;
DROP TRIGGER catalogue_criteria_update;
DROP TRIGGER catalogue_criteria_delete;
DROP TRIGGER catalogue_jurors_insert;
DROP TRIGGER catalogue_jurors_update;

-- practices: the catalogue and its facets, a practice's page, the feed, the sitemap,
-- the home page's recent winners and an edition's page show published practices, and
-- almost every column of them. A row counts while it is published, and when it stops
-- or starts being published (unpublishing must take it off the pages).
CREATE TRIGGER public_practice_insert AFTER INSERT ON practices
WHEN new.status = 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_practice_update AFTER UPDATE ON practices
WHEN old.status = 'published' OR new.status = 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_practice_delete AFTER DELETE ON practices
WHEN old.status = 'published'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

-- editions: /editions/{year}, /api/v1/editions, the sitemap's years and the home page's
-- open call show every edition that is not a draft: its year, titles, themes, status,
-- dates and time zone. Its jury settings (jurors per entry, spread threshold, eligible
-- countries, assignment release) are not shown, so they are not listed here.
CREATE TRIGGER public_edition_insert AFTER INSERT ON editions
WHEN new.status <> 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_edition_update AFTER UPDATE OF year, title, title_fr, theme, theme_fr,
    status, opens_at, closes_at, timezone ON editions
WHEN old.status <> 'draft' OR new.status <> 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_edition_delete AFTER DELETE ON editions
WHEN old.status <> 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

-- criteria: an edition's page and /api/v1/editions/{year} show its criteria (titles,
-- guidance, weights, order) once the edition is not a draft. `IS NOT` also counts a
-- criterion whose edition is gone: one needless bump rather than a missed one.
CREATE TRIGGER public_criterion_insert AFTER INSERT ON criteria
WHEN (SELECT status FROM editions WHERE id = new.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_criterion_update AFTER UPDATE ON criteria
WHEN (SELECT status FROM editions WHERE id = old.edition_id) IS NOT 'draft'
    OR (SELECT status FROM editions WHERE id = new.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_criterion_delete AFTER DELETE ON criteria
WHEN (SELECT status FROM editions WHERE id = old.edition_id) IS NOT 'draft'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

-- edition_jurors: an edition's page shows how many of its jurors are active.
CREATE TRIGGER public_juror_insert AFTER INSERT ON edition_jurors
WHEN new.status = 'active'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_juror_update AFTER UPDATE OF status, edition_id ON edition_jurors
WHEN old.status = 'active' OR new.status = 'active'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER public_juror_delete AFTER DELETE ON edition_jurors
WHEN old.status = 'active'
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;

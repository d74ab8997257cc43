-- The catalogue's "Substances and behaviours" facet (issue 14): practice_facets gains the
-- values of practices.substances (the platform's words and those an edition added), kept
-- in sync by the same triggers as the other facets (0040), which now also fire when the
-- substances change. No new table or column: practice_facets holds public values only.

DROP TRIGGER practice_facets_insert;
DROP TRIGGER practice_facets_update;

CREATE TRIGGER practice_facets_insert AFTER INSERT ON practices
BEGIN
    INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
        SELECT new.id, 'country', new.country
        UNION SELECT new.id, 'country', value FROM json_each(new.countries)
        UNION SELECT new.id, 'setting', value FROM json_each(new.settings)
        UNION SELECT new.id, 'level', value FROM json_each(new.levels)
        UNION SELECT new.id, 'target_group', value FROM json_each(new.target_groups)
        UNION SELECT new.id, 'substance', value FROM json_each(new.substances);
END;

CREATE TRIGGER practice_facets_update AFTER UPDATE OF country, countries, settings, levels,
    target_groups, substances ON practices
BEGIN
    DELETE FROM practice_facets WHERE practice_id = old.id;
    INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
        SELECT new.id, 'country', new.country
        UNION SELECT new.id, 'country', value FROM json_each(new.countries)
        UNION SELECT new.id, 'setting', value FROM json_each(new.settings)
        UNION SELECT new.id, 'level', value FROM json_each(new.levels)
        UNION SELECT new.id, 'target_group', value FROM json_each(new.target_groups)
        UNION SELECT new.id, 'substance', value FROM json_each(new.substances);
END;

INSERT OR IGNORE INTO practice_facets (practice_id, facet, value)
    SELECT p.id, 'substance', j.value FROM practices p, json_each(p.substances) j;

-- The catalogue page changes (a new filter): cached pages and ETags made before are stale.
UPDATE catalogue_version SET version = version + 1 WHERE id = 1;

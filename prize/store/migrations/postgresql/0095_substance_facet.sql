-- PostgreSQL version of 0095: the catalogue's "Substances and behaviours" facet
-- (issue 14). practice_facets gains the values of practices.substances, kept in sync by
-- 0040's function, which now also fires when the substances change.

CREATE OR REPLACE FUNCTION practice_facets_sync() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            DELETE FROM practice_facets WHERE practice_id = OLD.id;
        END IF;
        INSERT INTO practice_facets (practice_id, facet, value)
            SELECT NEW.id, 'country', NEW.country
            UNION SELECT NEW.id, 'country', v FROM jsonb_array_elements_text(NEW.countries::jsonb) v
            UNION SELECT NEW.id, 'setting', v FROM jsonb_array_elements_text(NEW.settings::jsonb) v
            UNION SELECT NEW.id, 'level', v FROM jsonb_array_elements_text(NEW.levels::jsonb) v
            UNION SELECT NEW.id, 'target_group', v
                  FROM jsonb_array_elements_text(NEW.target_groups::jsonb) v
            UNION SELECT NEW.id, 'substance', v
                  FROM jsonb_array_elements_text(NEW.substances::jsonb) v
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$;

DROP TRIGGER practice_facets_update ON practices;
CREATE TRIGGER practice_facets_update AFTER UPDATE OF country, countries, settings, levels,
    target_groups, substances ON practices
    FOR EACH ROW EXECUTE FUNCTION practice_facets_sync();

INSERT INTO practice_facets (practice_id, facet, value)
    SELECT p.id, 'substance', j FROM practices p, jsonb_array_elements_text(p.substances::jsonb) j
ON CONFLICT DO NOTHING;

-- The catalogue page changes (a new filter): cached pages and ETags made before are stale.
UPDATE catalogue_version SET version = version + 1 WHERE id = 1;

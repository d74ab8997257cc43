-- PostgreSQL version of 0040: the public catalogue's full-text search, its facet table
-- and the public version number. Same tables and meaning as the SQLite file; the search
-- index is a tsvector table instead of an FTS5 virtual table.
--
-- Search folds diacritics (unaccent) and stems words in English and in French, and
-- keeps the plain words too ('simple'), so that a prefix such as "preven" finds
-- "prévention" whatever a stemmer made of it. FTS5's "porter unicode61
-- remove_diacritics 2" stems English only; French stems are a gain, not a difference
-- a visitor could miss. Columns carry weights A-D (ts_rank) in place of bm25's.

-- unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;

-- unaccent() is STABLE (its dictionary could change); this wrapper names the dictionary
-- and schema so the result depends on the text only, which lets indexes and triggers
-- rely on it whatever the session's search_path.
CREATE FUNCTION prize_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- One text's lexemes: English stems, French stems and the plain folded words.
CREATE FUNCTION prize_search_words(body text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT to_tsvector('pg_catalog.english', t) || to_tsvector('pg_catalog.french', t)
               || to_tsvector('pg_catalog.simple', t)
        FROM (SELECT lower(prize_unaccent(coalesce(body, ''))) AS t) folded
    $$;

-- A practice's document. Weights follow 0040's bm25 ones (title 10, summary 5,
-- organisation 4, city 2, activities/youth participation/jury statement 1.5, key facts
-- and evaluation 1) in PostgreSQL's four classes.
CREATE FUNCTION prize_search_document(
    title text, organisation text, city text, summary text, key_facts text,
    activities text, youth_participation text, evaluation text, jury_statement text
) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
        SELECT setweight(prize_search_words(title), 'A')
            || setweight(prize_search_words(summary), 'B')
            || setweight(prize_search_words(organisation), 'B')
            || setweight(prize_search_words(city), 'C')
            || setweight(prize_search_words(activities), 'C')
            || setweight(prize_search_words(youth_participation), 'C')
            || setweight(prize_search_words(jury_statement), 'C')
            || setweight(prize_search_words(key_facts), 'D')
            || setweight(prize_search_words(evaluation), 'D')
    $$;

-- The search words of a visitor's query: each term (already folded by
-- prize.domain.practices.search_terms) matches as a prefix of a plain word, or by its
-- English or French stem ("schools" finds "school", "écoles" finds "école"). Stems are
-- not prefixes: the French stem of "peer" is "pe", which would find every "pe…" word.
-- Terms are joined by AND, or by OR when any_term is 1. Each term is quoted as a
-- tsquery literal, so '&', '!', ':' or a quote in it are words, never syntax.
-- NULL when no term is left (no practice matches).
CREATE FUNCTION prize_search_query(terms text, any_term integer) RETURNS tsquery
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
    DECLARE
        term text;
        quoted text;
        one tsquery;
        result tsquery;
    BEGIN
        FOREACH term IN ARRAY regexp_split_to_array(btrim(coalesce(terms, '')), '\s+') LOOP
            CONTINUE WHEN term = '';
            quoted := '''' || replace(replace(lower(prize_unaccent(term)), '\', '\\'), '''', '''''')
                      || '''';
            one := to_tsquery('pg_catalog.simple', quoted || ':*')
                   || to_tsquery('pg_catalog.english', quoted)
                   || to_tsquery('pg_catalog.french', quoted);
            IF result IS NULL THEN
                result := one;
            ELSIF any_term = 1 THEN
                result := result || one;
            ELSE
                result := result && one;
            END IF;
        END LOOP;
        RETURN result;
    END
    $$;

CREATE TABLE practices_search (
    practice_id BIGINT PRIMARY KEY REFERENCES practices(id) ON DELETE CASCADE,
    document tsvector NOT NULL
);
CREATE INDEX practices_search_document ON practices_search USING gin (document);

-- Kept from practices as FTS5's triggers keep practices_fts (a deleted practice goes by
-- the foreign key's cascade).
CREATE FUNCTION practices_search_sync() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        INSERT INTO practices_search (practice_id, document)
        VALUES (NEW.id, prize_search_document(
            NEW.title, NEW.organisation, NEW.city, NEW.summary, NEW.key_facts,
            NEW.activities, NEW.youth_participation, NEW.evaluation, NEW.jury_statement))
        ON CONFLICT (practice_id) DO UPDATE SET document = EXCLUDED.document;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER practices_fts_insert AFTER INSERT ON practices
    FOR EACH ROW EXECUTE FUNCTION practices_search_sync();
CREATE TRIGGER practices_fts_update AFTER UPDATE OF title, organisation, city, summary,
    key_facts, activities, youth_participation, evaluation, jury_statement ON practices
    FOR EACH ROW EXECUTE FUNCTION practices_search_sync();

INSERT INTO practices_search (practice_id, document)
    SELECT id, prize_search_document(title, organisation, city, summary, key_facts,
                                     activities, youth_participation, evaluation,
                                     jury_statement)
    FROM practices;

-- One row per (practice, facet, value): filters become index lookups, not JSON scans.
CREATE TABLE practice_facets (
    practice_id BIGINT NOT NULL REFERENCES practices(id) ON DELETE CASCADE,
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (facet, value, practice_id)
);
CREATE INDEX practice_facets_practice ON practice_facets(practice_id);

-- 0095 replaces this function (substances join the facets).
CREATE FUNCTION practice_facets_sync() RETURNS trigger
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
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$;

CREATE TRIGGER practice_facets_insert AFTER INSERT ON practices
    FOR EACH ROW EXECUTE FUNCTION practice_facets_sync();
CREATE TRIGGER practice_facets_update AFTER UPDATE OF country, countries, settings, levels,
    target_groups ON practices
    FOR EACH ROW EXECUTE FUNCTION practice_facets_sync();

INSERT INTO practice_facets (practice_id, facet, value)
    SELECT id, 'country', country FROM practices
    UNION SELECT p.id, 'country', j FROM practices p, jsonb_array_elements_text(p.countries::jsonb) j
    UNION SELECT p.id, 'setting', j FROM practices p, jsonb_array_elements_text(p.settings::jsonb) j
    UNION SELECT p.id, 'level', j FROM practices p, jsonb_array_elements_text(p.levels::jsonb) j
    UNION SELECT p.id, 'target_group', j
          FROM practices p, jsonb_array_elements_text(p.target_groups::jsonb) j
ON CONFLICT DO NOTHING;

CREATE INDEX practices_published_order ON practices(status, published_at);

-- Bumped by every change to what public pages show.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE FUNCTION catalogue_version_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
    BEGIN
        UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
        RETURN NULL;
    END
    $$;

-- Same names as SQLite's triggers, so 0041 drops them the same way (DROP TRIGGER ... ON t).
CREATE TRIGGER catalogue_practice_insert AFTER INSERT ON practices
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_practice_update AFTER UPDATE ON practices
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_practice_delete AFTER DELETE ON practices
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_edition_insert AFTER INSERT ON editions
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_edition_update AFTER UPDATE ON editions
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_edition_delete AFTER DELETE ON editions
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_criteria_insert AFTER INSERT ON criteria
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_criteria_update AFTER UPDATE ON criteria
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_criteria_delete AFTER DELETE ON criteria
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_jurors_insert AFTER INSERT ON edition_jurors
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_jurors_update AFTER UPDATE ON edition_jurors
    FOR EACH ROW EXECUTE FUNCTION catalogue_version_bump();

-- vigil--1.0.sql: the vigil extension's objects (docs/postgres.md).
\echo Use "CREATE EXTENSION vigil" to load this file. \quit

-- The hits of one name against the engine's lists, best first: hits under
-- the threshold too (match false), down to a floor well below it.
CREATE FUNCTION vigil.screen(
    name text,
    schema text DEFAULT NULL,
    birth_date text DEFAULT NULL,
    country text DEFAULT NULL,
    gender text DEFAULT NULL,
    id_number text DEFAULT NULL,
    threshold real DEFAULT NULL,
    max_results int DEFAULT 5)
RETURNS TABLE (source text, source_id text, entity_name text, matched_name text,
               score real, match boolean, explanation jsonb)
AS 'MODULE_PATHNAME', 'vigil_pg_screen'
LANGUAGE C STABLE PARALLEL SAFE
-- about 50 us a call (more than 1,000 times an operator's 0.0025): the
-- planner spreads a screening over parallel workers
COST 20000 ROWS 2;

-- How alike two names are, 0 to 1, as screening scores them. STABLE, not
-- IMMUTABLE: another build of vigil may score a pair otherwise, so the
-- score must not be kept in an index.
CREATE FUNCTION vigil.compare(a text, b text, schema text DEFAULT 'Person')
RETURNS real
AS 'MODULE_PATHNAME', 'vigil_pg_compare'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 5000;

-- The engine file screened with, and what it holds.
CREATE FUNCTION vigil.engine_info(
    OUT file text, OUT bytes bigint, OUT written timestamptz,
    OUT entities bigint, OUT names bigint, OUT versions jsonb)
AS 'MODULE_PATHNAME', 'vigil_pg_engine_info'
LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION vigil.source_entities(source text) RETURNS bigint
AS 'MODULE_PATHNAME', 'vigil_pg_source_entities'
LANGUAGE C STABLE STRICT PARALLEL SAFE;

-- The list versions the engine holds: one row a list.
CREATE FUNCTION vigil.lists()
RETURNS TABLE (source text, version bigint, published date, sha256 text, entities bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT v->>'source', (v->>'version')::bigint, nullif(v->>'published', '')::date,
           v->>'sha256', vigil.source_entities(v->>'source')
    FROM vigil.engine_info() i, jsonb_array_elements(i.versions) v
$$;

-- Hits written by vigil.screen_trigger: one row a matched listed entity.
CREATE TABLE vigil.alerts (
    id bigserial PRIMARY KEY,
    screened_at timestamptz NOT NULL DEFAULT now(),
    table_name text NOT NULL,
    row_key text,
    name text NOT NULL,
    source text NOT NULL,
    source_id text NOT NULL,
    entity_name text NOT NULL,
    matched_name text NOT NULL,
    score real NOT NULL,
    explanation jsonb NOT NULL,
    versions jsonb NOT NULL -- the list versions screened against
);
CREATE INDEX alerts_row ON vigil.alerts (table_name, row_key);
SELECT pg_catalog.pg_extension_config_dump('vigil.alerts', '');
SELECT pg_catalog.pg_extension_config_dump('vigil.alerts_id_seq', '');

-- A row trigger that screens the rows of the table it is on as they are
-- inserted, or updated in a screened column, and writes each match to
-- vigil.alerts in the same transaction. Its arguments say which column is
-- what: 'name=COLUMN' (required), 'birth_date=', 'country=', 'gender=',
-- 'id_number=', 'key=' (the row's key in vigil.alerts, default "id" when
-- the table has one), and settings: 'schema=Person', 'threshold=0.9',
-- 'on_match=alert' (the default) or 'on_match=reject' (the statement fails,
-- so that nothing matching is inserted).
--
--   CREATE TRIGGER screen AFTER INSERT OR UPDATE ON customers FOR EACH ROW
--   EXECUTE FUNCTION vigil.screen_trigger('name=full_name', 'birth_date=dob');
CREATE FUNCTION vigil.screen_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    arg text;
    k text;
    v text;
    col jsonb := '{}';
    opt jsonb := '{"schema": null, "threshold": null, "on_match": "alert"}';
    r jsonb := to_jsonb(NEW);
    o jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) END;
    role text;
    changed boolean := TG_OP <> 'UPDATE';
    h record;
BEGIN
    IF TG_LEVEL <> 'ROW' OR TG_OP NOT IN ('INSERT', 'UPDATE') THEN
        RAISE EXCEPTION 'vigil.screen_trigger: a row trigger on INSERT or UPDATE only'
            USING ERRCODE = 'feature_not_supported';
    END IF;
    FOREACH arg IN ARRAY coalesce(TG_ARGV, '{}') LOOP
        k := split_part(arg, '=', 1);
        v := substr(arg, length(k) + 2);
        IF position('=' in arg) = 0 OR v = '' THEN
            RAISE EXCEPTION 'vigil.screen_trigger on %: argument "%" is not key=value', TG_TABLE_NAME, arg
                USING ERRCODE = 'invalid_parameter_value';
        ELSIF k IN ('name', 'birth_date', 'country', 'gender', 'id_number', 'key') THEN
            IF NOT r ? v THEN
                RAISE EXCEPTION 'vigil.screen_trigger: table % has no column "%" (%)', TG_TABLE_NAME, v, arg
                    USING ERRCODE = 'undefined_column';
            END IF;
            col := col || jsonb_build_object(k, v);
        ELSIF k IN ('schema', 'threshold', 'on_match') THEN
            opt := opt || jsonb_build_object(k, v);
        ELSE
            RAISE EXCEPTION 'vigil.screen_trigger on %: unknown argument "%"', TG_TABLE_NAME, k
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'name, birth_date, country, gender, id_number, key, schema, threshold, on_match';
        END IF;
    END LOOP;
    IF NOT col ? 'name' THEN
        RAISE EXCEPTION 'vigil.screen_trigger on %: no name=COLUMN argument', TG_TABLE_NAME
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF opt->>'on_match' NOT IN ('alert', 'reject') THEN
        RAISE EXCEPTION 'vigil.screen_trigger on %: on_match is alert or reject, not "%"', TG_TABLE_NAME, opt->>'on_match'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT col ? 'key' AND r ? 'id' THEN
        col := col || '{"key": "id"}';
    END IF;
    -- an update screens again only when a screened column changed
    IF NOT changed THEN
        FOR role IN SELECT jsonb_object_keys(col) LOOP
            IF role <> 'key' AND (r->(col->>role)) IS DISTINCT FROM (o->(col->>role)) THEN
                changed := true;
            END IF;
        END LOOP;
        IF NOT changed THEN
            RETURN NEW;
        END IF;
    END IF;
    FOR h IN
        SELECT s.* FROM vigil.screen(
            r->>(col->>'name'),
            schema => opt->>'schema',
            birth_date => r->>(col->>'birth_date'),
            country => r->>(col->>'country'),
            gender => r->>(col->>'gender'),
            id_number => r->>(col->>'id_number'),
            threshold => (opt->>'threshold')::real) s
        WHERE s.match
    LOOP
        IF opt->>'on_match' = 'reject' THEN
            RAISE EXCEPTION 'vigil: % row % ("%") matches % % (%, score %)',
                TG_TABLE_NAME, coalesce(r->>(col->>'key'), '?'), r->>(col->>'name'),
                h.source, h.source_id, h.entity_name, round(h.score::numeric, 3)
                USING ERRCODE = 'check_violation',
                      HINT = 'vigil.screen_trigger on_match=reject refuses rows that match a listed entity';
        END IF;
        INSERT INTO vigil.alerts (table_name, row_key, name, source, source_id, entity_name,
                                  matched_name, score, explanation, versions)
        VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, r->>(col->>'key'), r->>(col->>'name'),
                h.source, h.source_id, h.entity_name, h.matched_name, h.score, h.explanation,
                (SELECT i.versions FROM vigil.engine_info() i));
    END LOOP;
    RETURN NEW; -- a BEFORE trigger keeps the row; an AFTER one's result is not read
END
$$;

GRANT USAGE ON SCHEMA vigil TO PUBLIC;

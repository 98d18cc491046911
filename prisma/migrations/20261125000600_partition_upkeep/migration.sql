-- Partition upkeep: policy table and functions that create time partitions ahead of need,
-- rescue rows that landed in a DEFAULT partition, and retire partitions past their retention.
--
-- Everything lives in schema "maint" (Prisma's differ only inspects "public"). Partitions
-- retired with retention_action = 'detach' are moved into schema "partition_archive".
-- All period boundaries are computed in UTC, independent of the session's TimeZone.
-- The partitioned tables themselves and their policy rows come in the next migration.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

-- `prisma migrate reset` drops and recreates only schema public, so after a reset the schemas of an
-- earlier life of this database are still here. They are recognised by their comments: a leftover
-- "maint" is dropped and rebuilt, a leftover "partition_archive" is reused (it may hold detached
-- partitions). A schema of either name that these migrations did not create is an error.
DO $$
BEGIN
    IF to_regnamespace('maint') IS NOT NULL THEN
        IF coalesce(obj_description(to_regnamespace('maint'), 'pg_namespace'), '') NOT LIKE 'Database maintenance: partition upkeep,%' THEN
            RAISE EXCEPTION 'schema "maint" already exists and was not created by these migrations'
                USING ERRCODE = 'duplicate_schema';
        END IF;
        RAISE NOTICE 'replacing schema maint left over from an earlier application of these migrations';
        DROP SCHEMA maint CASCADE;
    END IF;
    IF to_regnamespace('partition_archive') IS NOT NULL
       AND coalesce(obj_description(to_regnamespace('partition_archive'), 'pg_namespace'), '') NOT LIKE 'Partitions detached by maint.prune_partitions%' THEN
        RAISE EXCEPTION 'schema "partition_archive" already exists and was not created by these migrations'
            USING ERRCODE = 'duplicate_schema';
    END IF;
END
$$;

CREATE SCHEMA "maint";
COMMENT ON SCHEMA "maint" IS
    'Database maintenance: partition upkeep, counters, archival, expiry, refresh and pg_cron job definitions. Not part of the Prisma data model.';

CREATE SCHEMA IF NOT EXISTS "partition_archive";
COMMENT ON SCHEMA "partition_archive" IS
    'Partitions detached by maint.prune_partitions (retention_action = detach). Export, then drop them.';

CREATE TABLE "maint"."partition_policy" (
    "table_name"       TEXT        NOT NULL,
    "granularity"      TEXT        NOT NULL,
    "premake"          INTEGER     NOT NULL,
    "retention"        INTERVAL,
    "retention_action" TEXT        NOT NULL DEFAULT 'drop',
    "note"             TEXT,
    "updated_at"       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT "partition_policy_pkey" PRIMARY KEY ("table_name"),
    CONSTRAINT "partition_policy_table_name_check" CHECK ("table_name" ~ '^[a-z_][a-z0-9_]{0,40}$'),
    CONSTRAINT "partition_policy_granularity_check" CHECK ("granularity" IN ('day', 'month')),
    CONSTRAINT "partition_policy_premake_check" CHECK ("premake" BETWEEN 0 AND 400),
    CONSTRAINT "partition_policy_retention_check" CHECK ("retention" IS NULL OR "retention" > interval '0'),
    CONSTRAINT "partition_policy_retention_action_check" CHECK ("retention_action" IN ('drop', 'detach'))
);
COMMENT ON TABLE "maint"."partition_policy" IS
    'One row per range-partitioned table in schema public that maint.ensure_partitions / maint.prune_partitions manage. retention NULL = keep forever.';

-- ---------------------------------------------------------------------------------------------
-- Period arithmetic (UTC)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."period_start"(p_granularity text, p_ts timestamptz)
RETURNS timestamptz
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT pg_catalog.date_trunc(p_granularity, p_ts, 'UTC') $$;

CREATE FUNCTION "maint"."period_add"(p_granularity text, p_start timestamptz, p_periods integer)
RETURNS timestamptz
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
    SELECT ((p_start AT TIME ZONE 'UTC')
            + CASE p_granularity WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END * p_periods)
           AT TIME ZONE 'UTC'
$$;

CREATE FUNCTION "maint"."partition_name"(p_table text, p_granularity text, p_start timestamptz)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$
    SELECT p_table || '_p'
        || pg_catalog.to_char(p_start AT TIME ZONE 'UTC',
                              CASE p_granularity WHEN 'day' THEN 'YYYY_MM_DD' ELSE 'YYYY_MM' END)
$$;

-- A partition bound literal that means the same instant whatever the session's TimeZone/DateStyle.
CREATE FUNCTION "maint"."bound_literal"(p_ts timestamptz)
RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE
AS $$ SELECT pg_catalog.quote_literal(pg_catalog.to_char(p_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || '+00:00') $$;

-- ---------------------------------------------------------------------------------------------
-- Allow-list: only tables named in maint.partition_policy may be touched.
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."resolve_partitioned_table"(p_table text)
RETURNS maint.partition_policy
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_policy maint.partition_policy;
    v_rel    regclass;
    v_known  text;
BEGIN
    SELECT * INTO v_policy FROM maint.partition_policy p WHERE p.table_name = p_table;
    IF NOT FOUND THEN
        SELECT string_agg(p.table_name, ', ' ORDER BY p.table_name) INTO v_known FROM maint.partition_policy p;
        RAISE EXCEPTION 'unknown partitioned table "%": not listed in maint.partition_policy', p_table
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Managed tables: ' || coalesce(v_known, '(none)');
    END IF;
    v_rel := to_regclass(format('public.%I', p_table));
    IF v_rel IS NULL THEN
        RAISE EXCEPTION 'maint.partition_policy lists "%" but table public.% does not exist', p_table, p_table
            USING ERRCODE = 'undefined_table';
    END IF;
    IF NOT EXISTS (
        SELECT 1
        FROM pg_partitioned_table pt
        JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
        WHERE pt.partrelid = v_rel AND pt.partstrat = 'r' AND pt.partnatts = 1
          AND a.atttypid = 'timestamptz'::regtype
    ) THEN
        RAISE EXCEPTION 'public.% is not range-partitioned on a single timestamptz column', p_table
            USING ERRCODE = 'wrong_object_type';
    END IF;
    RETURN v_policy;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Introspection: every partition of the managed tables with its bounds.
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."list_partitions"(p_table text DEFAULT NULL)
RETURNS TABLE (
    table_name      text,
    partition_name  text,
    is_default      boolean,
    range_from      timestamptz,
    range_to        timestamptz,
    estimated_rows  bigint,
    total_bytes     bigint
)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
SET "DateStyle" = 'ISO, YMD'
AS $$
#variable_conflict use_column
DECLARE
    v_policy maint.partition_policy;
BEGIN
    FOR v_policy IN
        SELECT * FROM maint.partition_policy p
        WHERE p_table IS NULL OR p.table_name = p_table
        ORDER BY p.table_name
    LOOP
        PERFORM maint.resolve_partitioned_table(v_policy.table_name);
        RETURN QUERY
        WITH parts AS (
            SELECT c.oid, c.relname::text AS relname, pg_get_expr(c.relpartbound, c.oid) AS bound
            FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = format('public.%I', v_policy.table_name)::regclass
        ), parsed AS (
            SELECT p.oid, p.relname, p.bound = 'DEFAULT' AS is_default,
                   substring(p.bound FROM '^FOR VALUES FROM \((.*)\) TO \(.*\)$') AS lo,
                   substring(p.bound FROM '^FOR VALUES FROM \(.*\) TO \((.*)\)$') AS hi
            FROM parts p
        )
        SELECT v_policy.table_name,
               x.relname,
               x.is_default,
               CASE WHEN x.is_default THEN NULL
                    WHEN x.lo = 'MINVALUE' THEN '-infinity'::timestamptz
                    ELSE btrim(x.lo, '''')::timestamptz END,
               CASE WHEN x.is_default THEN NULL
                    WHEN x.hi = 'MAXVALUE' THEN 'infinity'::timestamptz
                    ELSE btrim(x.hi, '''')::timestamptz END,
               greatest(c.reltuples, 0)::bigint,
               pg_total_relation_size(x.oid)
        FROM parsed x
        JOIN pg_class c ON c.oid = x.oid
        ORDER BY x.is_default, 4;
    END LOOP;
    IF p_table IS NOT NULL AND NOT EXISTS (SELECT 1 FROM maint.partition_policy p WHERE p.table_name = p_table) THEN
        PERFORM maint.resolve_partitioned_table(p_table);  -- raises the "unknown table" error
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Planning (read-only): what ensure would create for one table. Candidates are the premake window
-- (current period + premake periods ahead of p_now) plus every period that has rows waiting in the
-- DEFAULT partition. status = 'missing' (ensure creates it) or 'conflict' (an existing partition
-- overlaps the period, or a relation of that name exists: left alone, reported).
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."plan_partitions"(p_table text, p_now timestamptz DEFAULT now())
RETURNS TABLE (
    partition_name   text,
    range_from       timestamptz,
    range_to         timestamptz,
    has_default_rows boolean,
    status           text
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_policy          maint.partition_policy := maint.resolve_partitioned_table(p_table);
    v_parent          regclass := format('public.%I', p_table)::regclass;
    v_key             text;
    v_default         regclass;
    v_first           timestamptz;
    v_periods         timestamptz[];
    v_default_periods timestamptz[] := '{}';
BEGIN
    SELECT a.attname, nullif(pt.partdefid, 0)::regclass INTO v_key, v_default
    FROM pg_partitioned_table pt
    JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
    WHERE pt.partrelid = v_parent;

    v_first := maint.period_start(v_policy.granularity, p_now);
    SELECT array_agg(maint.period_add(v_policy.granularity, v_first, n) ORDER BY n) INTO v_periods
    FROM generate_series(0, v_policy.premake) AS n;

    IF v_default IS NOT NULL THEN
        -- Rows with absurd timestamps (infinity, beyond year 9999) stay in DEFAULT.
        EXECUTE format(
            'SELECT coalesce(array_agg(DISTINCT pg_catalog.date_trunc($1, %1$I, ''UTC'')), ''{}'') '
            'FROM ONLY %2$s WHERE %1$I >= ''0001-01-01 00:00:00+00'' AND %1$I < ''9999-12-01 00:00:00+00''',
            v_key, v_default)
        INTO v_default_periods
        USING v_policy.granularity;
    END IF;

    RETURN QUERY
    WITH candidates AS (
        SELECT DISTINCT s AS range_from FROM unnest(v_periods || v_default_periods) AS s
    ), periods AS (
        SELECT maint.partition_name(p_table, v_policy.granularity, c.range_from) AS partition_name,
               c.range_from,
               maint.period_add(v_policy.granularity, c.range_from, 1) AS range_to,
               c.range_from = ANY (v_default_periods) AS has_default_rows
        FROM candidates c
    ), existing AS (
        SELECT l.partition_name, l.range_from, l.range_to
        FROM maint.list_partitions(p_table) l
        WHERE NOT l.is_default
    )
    SELECT p.partition_name, p.range_from, p.range_to, p.has_default_rows,
           CASE WHEN EXISTS (SELECT 1 FROM existing e
                             WHERE e.range_from < p.range_to AND e.range_to > p.range_from)
                  OR to_regclass(format('public.%I', p.partition_name)) IS NOT NULL
                THEN 'conflict' ELSE 'missing' END
    FROM periods p
    WHERE NOT EXISTS (SELECT 1 FROM existing e
                      WHERE e.range_from = p.range_from AND e.range_to = p.range_to)
    ORDER BY p.range_from;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- ensure: create the partitions that plan_partitions reports missing, moving rows out of DEFAULT.
--
-- Concurrency: the parent is locked ONLY in SHARE ROW EXCLUSIVE mode (conflicts with the ROW
-- EXCLUSIVE lock every INSERT/UPDATE/DELETE through the parent takes, and with itself; readers are
-- not blocked). Writers therefore wait for this transaction instead of routing rows into DEFAULT for
-- a period that is being carved out; once it commits they see the new partitions. Each new
-- partition is built as a plain table (LIKE the parent), DEFAULT's rows for its period are moved
-- into it in one statement, then it is ATTACHed (which re-verifies DEFAULT holds no such rows).
-- Nothing is done, and no lock is taken, when nothing is missing. If the lock is not granted within
-- lock_timeout the table is skipped (reported, WARNING) and retried next run; no insert fails.
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."ensure_partitions"(p_table text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (
    table_name     text,
    partition_name text,
    range_from     timestamptz,
    range_to       timestamptz,
    action         text,
    rows_moved     bigint
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '3s'
AS $$
#variable_conflict use_column
DECLARE
    v_table   text;
    v_parent  regclass;
    v_default regclass;
    v_owner   name;
    v_key     text;
    v_cols    text;
    v_plan    record;
    v_moved   bigint;
    v_done    jsonb;
BEGIN
    IF p_table IS NOT NULL THEN
        PERFORM maint.resolve_partitioned_table(p_table);
    END IF;

    FOR v_table IN
        SELECT p.table_name FROM maint.partition_policy p
        WHERE p_table IS NULL OR p.table_name = p_table
        ORDER BY p.table_name
    LOOP
        PERFORM maint.resolve_partitioned_table(v_table);
        v_parent := format('public.%I', v_table)::regclass;

        -- Fast path, no lock: a DEFAULT partition exists and nothing is missing.
        IF EXISTS (SELECT 1 FROM pg_partitioned_table pt WHERE pt.partrelid = v_parent AND pt.partdefid <> 0)
           AND NOT EXISTS (SELECT 1 FROM maint.plan_partitions(v_table, p_now) pp WHERE pp.status = 'missing')
        THEN
            CONTINUE;
        END IF;

        v_done := '[]';
        BEGIN
            EXECUTE format('LOCK TABLE ONLY %s IN SHARE ROW EXCLUSIVE MODE', v_parent);

            SELECT a.attname, nullif(pt.partdefid, 0)::regclass, pg_get_userbyid(c.relowner)
              INTO v_key, v_default, v_owner
            FROM pg_partitioned_table pt
            JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
            JOIN pg_class c ON c.oid = pt.partrelid
            WHERE pt.partrelid = v_parent;

            IF v_default IS NULL THEN
                EXECUTE format('CREATE TABLE public.%I PARTITION OF %s DEFAULT', v_table || '_default', v_parent);
                IF v_owner <> current_user THEN
                    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', v_table || '_default', v_owner);
                END IF;
                v_done := v_done || jsonb_build_object('partition_name', v_table || '_default',
                                                       'action', 'created_default', 'rows_moved', 0);
                v_default := format('public.%I', v_table || '_default')::regclass;
            END IF;

            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
            FROM pg_attribute a
            WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped;

            FOR v_plan IN SELECT * FROM maint.plan_partitions(v_table, p_now) LOOP
                IF v_plan.status <> 'missing' THEN
                    RAISE WARNING 'maint.ensure_partitions: % [%, %) not created: it overlaps an existing partition or "%" already exists',
                        v_table, v_plan.range_from, v_plan.range_to, v_plan.partition_name;
                    v_done := v_done || jsonb_build_object(
                        'partition_name', v_plan.partition_name, 'range_from', v_plan.range_from,
                        'range_to', v_plan.range_to, 'action', 'conflict', 'rows_moved', 0);
                    CONTINUE;
                END IF;

                EXECUTE format(
                    'CREATE TABLE public.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMPRESSION)',
                    v_plan.partition_name, v_parent);

                v_moved := 0;
                IF v_plan.has_default_rows THEN
                    EXECUTE format(
                        'WITH moved AS (DELETE FROM ONLY %1$s WHERE %2$I >= $1 AND %2$I < $2 RETURNING %3$s) '
                        'INSERT INTO public.%4$I (%3$s) SELECT %3$s FROM moved',
                        v_default, v_key, v_cols, v_plan.partition_name)
                    USING v_plan.range_from, v_plan.range_to;
                    GET DIAGNOSTICS v_moved = ROW_COUNT;
                END IF;

                EXECUTE format('ALTER TABLE %s ATTACH PARTITION public.%I FOR VALUES FROM (%s) TO (%s)',
                    v_parent, v_plan.partition_name,
                    maint.bound_literal(v_plan.range_from), maint.bound_literal(v_plan.range_to));

                IF v_owner <> current_user THEN
                    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', v_plan.partition_name, v_owner);
                END IF;

                v_done := v_done || jsonb_build_object(
                    'partition_name', v_plan.partition_name, 'range_from', v_plan.range_from,
                    'range_to', v_plan.range_to,
                    'action', CASE WHEN v_moved > 0 THEN 'created_moved_default_rows' ELSE 'created' END,
                    'rows_moved', v_moved);
            END LOOP;
        EXCEPTION WHEN lock_not_available THEN
            RAISE WARNING 'maint.ensure_partitions: % skipped: lock not granted within lock_timeout (%); retry later',
                v_table, current_setting('lock_timeout');
            v_done := jsonb_build_array(jsonb_build_object('action', 'skipped_lock_timeout', 'rows_moved', 0));
        END;

        RETURN QUERY
        SELECT v_table, e.item ->> 'partition_name', (e.item ->> 'range_from')::timestamptz,
               (e.item ->> 'range_to')::timestamptz, e.item ->> 'action', (e.item ->> 'rows_moved')::bigint
        FROM jsonb_array_elements(v_done) WITH ORDINALITY AS e(item, ord)
        ORDER BY e.ord;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- prune: retire partitions whose whole range is older than the retention (range_to <= p_now -
-- retention, computed in UTC). A partition that could hold a newer row is never touched, nor is the
-- DEFAULT partition. retention_action 'drop' drops it; 'detach' detaches it and moves it to schema
-- partition_archive. p_dry_run = true only reports ('would_drop' / 'would_detach') and takes no lock.
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION "maint"."prune_partitions"(
    p_table   text        DEFAULT NULL,
    p_now     timestamptz DEFAULT now(),
    p_dry_run boolean     DEFAULT false
)
RETURNS TABLE (
    table_name     text,
    partition_name text,
    range_from     timestamptz,
    range_to       timestamptz,
    action         text
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '3s'
AS $$
#variable_conflict use_column
DECLARE
    v_policy maint.partition_policy;
    v_cutoff timestamptz;
    v_part   record;
    v_target text;
BEGIN
    IF p_table IS NOT NULL THEN
        PERFORM maint.resolve_partitioned_table(p_table);
    END IF;

    FOR v_policy IN
        SELECT * FROM maint.partition_policy p
        WHERE (p_table IS NULL OR p.table_name = p_table) AND p.retention IS NOT NULL
        ORDER BY p.table_name
    LOOP
        PERFORM maint.resolve_partitioned_table(v_policy.table_name);
        v_cutoff := ((p_now AT TIME ZONE 'UTC') - v_policy.retention) AT TIME ZONE 'UTC';

        FOR v_part IN
            SELECT l.partition_name, l.range_from, l.range_to
            FROM maint.list_partitions(v_policy.table_name) l
            WHERE NOT l.is_default AND l.range_to <= v_cutoff
            ORDER BY l.range_from
        LOOP
            table_name := v_policy.table_name;
            partition_name := v_part.partition_name;
            range_from := v_part.range_from;
            range_to := v_part.range_to;

            IF p_dry_run THEN
                action := 'would_' || v_policy.retention_action;
                RETURN NEXT;
                CONTINUE;
            END IF;

            BEGIN
                IF v_policy.retention_action = 'drop' THEN
                    EXECUTE format('DROP TABLE public.%I', v_part.partition_name);
                    action := 'dropped';
                ELSE
                    EXECUTE format('ALTER TABLE public.%I DETACH PARTITION public.%I',
                                   v_policy.table_name, v_part.partition_name);
                    v_target := v_part.partition_name;
                    IF to_regclass(format('partition_archive.%I', v_target)) IS NOT NULL THEN
                        v_target := left(v_target, 40) || '_d'
                                    || to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS');
                        EXECUTE format('ALTER TABLE public.%I RENAME TO %I', v_part.partition_name, v_target);
                    END IF;
                    EXECUTE format('ALTER TABLE public.%I SET SCHEMA partition_archive', v_target);
                    partition_name := 'partition_archive.' || v_target;
                    action := 'detached';
                END IF;
            EXCEPTION WHEN lock_not_available THEN
                RAISE WARNING 'maint.prune_partitions: % skipped: lock not granted within lock_timeout (%); retry later',
                    v_part.partition_name, current_setting('lock_timeout');
                action := 'skipped_lock_timeout';
            END;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$$;

CREATE FUNCTION "maint"."prune_partitions_dry_run"(p_table text DEFAULT NULL, p_now timestamptz DEFAULT now())
RETURNS TABLE (
    table_name     text,
    partition_name text,
    range_from     timestamptz,
    range_to       timestamptz,
    action         text
)
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
AS $$ SELECT * FROM maint.prune_partitions(p_table, p_now, true) $$;

COMMENT ON FUNCTION "maint"."ensure_partitions"(text, timestamptz) IS
    'Create missing partitions (premake window + periods with rows in DEFAULT), moving DEFAULT rows into them. Idempotent. NULL = every table in maint.partition_policy.';
COMMENT ON FUNCTION "maint"."prune_partitions"(text, timestamptz, boolean) IS
    'Drop or detach partitions wholly older than the table''s retention. Idempotent. p_dry_run = true only reports.';
COMMENT ON FUNCTION "maint"."prune_partitions_dry_run"(text, timestamptz) IS
    'What maint.prune_partitions would do now, without doing it.';
COMMENT ON FUNCTION "maint"."list_partitions"(text) IS
    'Partitions of the managed tables with their bounds, estimated rows and size.';
COMMENT ON FUNCTION "maint"."plan_partitions"(text, timestamptz) IS
    'Read-only: the partitions maint.ensure_partitions would create for one table.';

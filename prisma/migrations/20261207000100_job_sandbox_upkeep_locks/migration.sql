-- Hardening of upkeep and of who can run what (issue: no deadlocked game writes during upkeep,
-- no path to superuser).
--
-- 1. Jobs run in a sandbox. A job's command is a call of an allow-listed maint function
--    (maint.job_functions) and runs inside maint.job_exec, a SECURITY DEFINER function owned by
--    mmo_maint: whoever calls it (pg_cron as the superuser who installed it, `mmo maintain` over a
--    superuser URL), the job and every trigger it fires run as mmo_maint, which has the rights of
--    mmo_migrator and nothing more, and cannot SET ROLE back (PostgreSQL forbids changing role
--    inside a security-definer function).
-- 2. Schema maint (its code, cron_jobs, the allow-list) belongs to mmo_maint_owner, a NOLOGIN role
--    nobody is a member of: mmo_migrator can read it and run it, not change it. Only a superuser
--    changes schema maint from now on (README "Roles").
-- 3. Partition upkeep never makes a game write fail: ensure and prune take one table per
--    transaction, serialise on one advisory lock whoever calls them, lock the parent in ACCESS
--    EXCLUSIVE mode before touching any partition (a game transaction that already holds a lock on
--    the parent is served first instead of deadlocking), wait at most 200 ms for it and retry.
--    Archival batches serialise on their job's lock; presence expiry skips rows the game holds.
-- 4. Least privilege for data: mmo_app cannot write the trigger-kept counters, mmo_readonly cannot
--    read password hashes or session tokens, the deployer can read settings and owns
--    _prisma_migrations, the period helpers pin search_path.

-- lock-impact-waiver: handing schema maint's tables to mmo_maint_owner (ALTER ... OWNER) locks only
-- maint.partition_policy, maint.cron_jobs and maint.job_runs, which the game never touches; users and
-- guilds get a BEFORE INSERT trigger (SHARE ROW EXCLUSIVE for an instant).

SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

DO $$
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE EXCEPTION 'migration 20261207000100_job_sandbox_upkeep_locks must be applied by a superuser: it creates the roles mmo_maint_owner and mmo_maint and hands schema maint to mmo_maint_owner'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Run this one deploy with a superuser URL (DATABASE_URL); later deploys can run as a member of mmo_migrator again.';
    END IF;
END
$$;

DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['mmo_maint_owner', 'mmo_maint'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently by a migration running in another database
            END;
        END IF;
    END LOOP;
    -- mmo_maint acts as mmo_migrator (it owns the partitioned tables upkeep must alter) ...
    IF NOT pg_has_role('mmo_maint', 'mmo_migrator', 'MEMBER') THEN
        GRANT mmo_migrator TO mmo_maint;
    END IF;
    -- ... and the migrator must not be able to become either of them.
    IF pg_has_role('mmo_migrator', 'mmo_maint', 'MEMBER') OR pg_has_role('mmo_migrator', 'mmo_maint_owner', 'MEMBER') THEN
        RAISE EXCEPTION 'mmo_migrator is a member of mmo_maint or mmo_maint_owner: revoke that membership first, it would let a deployer run code as the maintenance roles'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END
$$;

-- The deployer reads shared_preload_libraries (health, cron list) and pg_stat_statements of every
-- role (slow-queries): pg_monitor is PostgreSQL's role for exactly that, nothing more.
GRANT pg_monitor TO mmo_migrator;

-- ---------------------------------------------------------------------------------------------
-- The allow-list: the functions a job may call. Only a superuser (or mmo_maint_owner) adds to it.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE "maint"."job_functions" (
    "function_name" TEXT    NOT NULL,
    "per_table"     BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "job_functions_pkey" PRIMARY KEY ("function_name"),
    CONSTRAINT "job_functions_function_name_check" CHECK ("function_name" ~ '^[a-z_][a-z0-9_]{0,62}$')
);
COMMENT ON TABLE "maint"."job_functions" IS
    'The maint functions a job of maint.cron_jobs may call (per_table: called with no arguments, run_job calls it once per table of maint.partition_policy, one transaction each). Owned by mmo_maint_owner: mmo_migrator can read it, not change it.';
INSERT INTO "maint"."job_functions" ("function_name", "per_table") VALUES
    ('ensure_partitions', true),
    ('prune_partitions', true),
    ('expire_character_effects', false),
    ('expire_world_state', false),
    ('expire_player_presence', false),
    ('expire_mail', false),
    ('purge_sessions', false),
    ('run_expiry', false),
    ('refresh_rankings', false),
    ('archive_deleted_characters', false),
    ('recount_denormalized_counters', false);

-- The function a job command calls, or NULL when the command is not one allowed shape:
--   SELECT [count(*) FROM | * FROM] maint.<function>(<arguments>)
-- where the arguments are literals only: numbers, words (NULL, true, interval, casts), standard
-- strings, commas, `=>`. No parenthesis, semicolon, backslash, dollar or double quote outside a
-- string, so no function call, subquery, second statement or comment can hide in the arguments.
CREATE FUNCTION "maint"."job_command_function"(p_command text)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT m[1]
    FROM pg_catalog.regexp_match(
        p_command,
        '^\s*SELECT\s+(?:count\(\*\)\s+FROM\s+|\*\s+FROM\s+)?maint\.([a-z_][a-z0-9_]*)\((?:[A-Za-z0-9_.:=>,+ -]|''[^''\\]*'')*\)\s*;?\s*$',
        'i') AS m
    WHERE p_command !~ '[\\$"]'
      AND EXISTS (SELECT 1 FROM maint.job_functions f WHERE f.function_name = pg_catalog.lower(m[1]))
$$;
COMMENT ON FUNCTION "maint"."job_command_function"(text) IS
    'The allow-listed maint function a job command calls, or NULL when the command is not an allowed call (see maint.job_functions).';

CREATE FUNCTION "maint"."cron_jobs_check_command"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF maint.job_command_function(NEW.command) IS NULL THEN
        RAISE EXCEPTION 'job %: command % is not a call of an allow-listed maint function', NEW.job_name, pg_catalog.quote_literal(NEW.command)
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A job command is SELECT [count(*) FROM | * FROM] maint.<function>(<literal arguments>) with <function> in maint.job_functions.';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER "cron_jobs_check_command"
    BEFORE INSERT OR UPDATE OF "command" ON "maint"."cron_jobs"
    FOR EACH ROW EXECUTE FUNCTION "maint"."cron_jobs_check_command"();

-- A job an operator changed to anything else keeps its row, but run_job will refuse to run it (and
-- record that in maint.job_runs, which health reports): say so now.
DO $$
DECLARE
    v_job record;
BEGIN
    FOR v_job IN SELECT j.job_name, j.command FROM maint.cron_jobs j WHERE maint.job_command_function(j.command) IS NULL ORDER BY j.job_name LOOP
        RAISE WARNING 'maintenance job % will not run: its command % is not a call of an allow-listed maint function (see maint.job_functions)',
            v_job.job_name, pg_catalog.quote_literal(v_job.command);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The sandbox. SECURITY DEFINER, owned by mmo_maint (set at the end): the command and whatever it
-- fires run as mmo_maint, and no SET ROLE / SET SESSION AUTHORIZATION is possible inside.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION "maint"."job_exec"(p_command text)
RETURNS SETOF json
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF maint.job_command_function(p_command) IS NULL THEN
        RAISE EXCEPTION 'command % is not a call of an allow-listed maint function', pg_catalog.quote_literal(p_command)
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY EXECUTE 'SELECT pg_catalog.row_to_json(r) FROM (' || pg_catalog.regexp_replace(p_command, ';\s*$', '') || ') r';
END
$$;

-- Checked before every call of the sandbox: mmo_maint could ALTER its own function (it owns it), so
-- what makes it a sandbox is verified each time rather than trusted.
CREATE FUNCTION "maint"."assert_job_sandbox"()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_problem text;
BEGIN
    SELECT CASE
             WHEN NOT p.prosecdef THEN 'it is no longer SECURITY DEFINER'
             WHEN p.proowner <> r.oid THEN 'it is no longer owned by mmo_maint'
             WHEN p.proconfig IS DISTINCT FROM ARRAY['search_path=pg_catalog, pg_temp'] THEN 'its settings were changed'
             WHEN r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls THEN 'mmo_maint has a role attribute it must not have'
             WHEN EXISTS (SELECT 1 FROM pg_roles s
                          WHERE (s.rolsuper OR s.rolname IN ('pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program', 'mmo_maint_owner'))
                            AND pg_has_role(r.oid, s.oid, 'MEMBER'))
               THEN 'mmo_maint is a member of a privileged role'
           END
    INTO v_problem
    FROM pg_proc p, pg_roles r
    WHERE p.oid = 'maint.job_exec(text)'::regprocedure AND r.rolname = 'mmo_maint';
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'refusing to run maintenance: the job sandbox maint.job_exec is not intact (%)', v_problem
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'A superuser restores it: ALTER FUNCTION maint.job_exec(text) SECURITY DEFINER OWNER TO mmo_maint SET search_path = pg_catalog, pg_temp, and reviews who changed it.';
    END IF;
END
$$;

-- The entry point for every caller (run_job, the CLI): check the sandbox, then run the command in it.
CREATE FUNCTION "maint"."run_sandboxed"(p_command text)
RETURNS SETOF json
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM maint.assert_job_sandbox();
    RETURN QUERY SELECT j FROM maint.job_exec(p_command) j;
END
$$;
COMMENT ON FUNCTION "maint"."run_sandboxed"(text) IS
    'Run an allow-listed maint call as mmo_maint (maint.job_exec), after checking the sandbox is intact; one JSON object per result row.';

-- ---------------------------------------------------------------------------------------------
-- One lock for all partition upkeep (ensure and prune, whoever runs them), taken first.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION "maint"."take_partition_upkeep_lock"()
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, pg_temp
-- Waiting here holds no table lock, so it can wait for another table's upkeep to finish.
SET lock_timeout = '5min'
AS $$ SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('mmo maintain'), pg_catalog.hashtext('partition upkeep')) $$;

-- ---------------------------------------------------------------------------------------------
-- ensure: one table per call (so per transaction), under the upkeep lock, parent locked ACCESS
-- EXCLUSIVE before any partition is touched.
--
-- Why ACCESS EXCLUSIVE on the parent, not SHARE ROW EXCLUSIVE: ATTACH needs ACCESS EXCLUSIVE on the
-- DEFAULT partition. Under SHARE ROW EXCLUSIVE a game transaction that had read the table (ACCESS
-- SHARE on parent and DEFAULT) and then writes would wait for us while we wait for it: a deadlock
-- the game loses. Under ACCESS EXCLUSIVE on the parent, a transaction already holding a lock on the
-- parent is granted its next lock ahead of our queued request, finishes, and we proceed; nobody new
-- reaches DEFAULT through the parent until we commit. The wait for the lock is 200 ms at most (game
-- statements queue behind it that long), retried five times with a pause between; after that the
-- table is reported skipped_lock_timeout and the next run retries. When nothing is missing no table
-- lock is taken at all (the check reads DEFAULT under ACCESS SHARE only, which conflicts with no
-- game lock; the upkeep lock keeps other upkeep, the only ACCESS EXCLUSIVE user, out).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION "maint"."ensure_partitions"(p_table text DEFAULT NULL, p_now timestamptz DEFAULT now())
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
SET lock_timeout = '200ms'
AS $$
#variable_conflict use_column
DECLARE
    v_parent  regclass;
    v_default regclass;
    v_owner   name;
    v_key     text;
    v_cols    text;
    v_plan    record;
    v_moved   bigint;
    v_done    jsonb;
    v_locked  boolean := false;
BEGIN
    IF p_table IS NULL THEN
        RAISE EXCEPTION 'maint.ensure_partitions needs a table: upkeep works on one table per transaction, so that it never holds two tables'' locks at once'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'CALL maint.ensure_all_partitions() runs every table of maint.partition_policy, one transaction each.';
    END IF;
    PERFORM maint.resolve_partitioned_table(p_table);
    v_parent := format('public.%I', p_table)::regclass;
    PERFORM maint.take_partition_upkeep_lock();

    IF EXISTS (SELECT 1 FROM pg_partitioned_table pt WHERE pt.partrelid = v_parent AND pt.partdefid <> 0)
       AND NOT EXISTS (SELECT 1 FROM maint.plan_partitions(p_table, p_now) pp WHERE pp.status = 'missing')
    THEN
        RETURN;
    END IF;

    FOR v_attempt IN 1..5 LOOP
        v_done := '[]';
        BEGIN
            EXECUTE format('LOCK TABLE ONLY %s IN ACCESS EXCLUSIVE MODE', v_parent);
            v_locked := true;

            SELECT a.attname, nullif(pt.partdefid, 0)::regclass, pg_get_userbyid(c.relowner)
              INTO v_key, v_default, v_owner
            FROM pg_partitioned_table pt
            JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
            JOIN pg_class c ON c.oid = pt.partrelid
            WHERE pt.partrelid = v_parent;

            IF v_default IS NULL THEN
                EXECUTE format('CREATE TABLE public.%I PARTITION OF %s DEFAULT', p_table || '_default', v_parent);
                IF v_owner <> current_user THEN
                    EXECUTE format('ALTER TABLE public.%I OWNER TO %I', p_table || '_default', v_owner);
                END IF;
                v_done := v_done || jsonb_build_object('partition_name', p_table || '_default',
                                                       'action', 'created_default', 'rows_moved', 0);
                v_default := format('public.%I', p_table || '_default')::regclass;
            END IF;

            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
            FROM pg_attribute a
            WHERE a.attrelid = v_parent AND a.attnum > 0 AND NOT a.attisdropped;

            FOR v_plan IN SELECT * FROM maint.plan_partitions(p_table, p_now) LOOP
                IF v_plan.status <> 'missing' THEN
                    RAISE WARNING 'maint.ensure_partitions: % [%, %) not created: it overlaps an existing partition or "%" already exists',
                        p_table, v_plan.range_from, v_plan.range_to, v_plan.partition_name;
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
            v_locked := false;
            IF v_attempt < 5 THEN
                PERFORM pg_sleep(0.05 * v_attempt);
            ELSE
                RAISE WARNING 'maint.ensure_partitions: % skipped: the table lock was not granted within % in 5 tries; retry later',
                    p_table, current_setting('lock_timeout');
                v_done := jsonb_build_array(jsonb_build_object('action', 'skipped_lock_timeout', 'rows_moved', 0));
            END IF;
        END;
        EXIT WHEN v_locked;
    END LOOP;

    RETURN QUERY
    SELECT p_table, e.item ->> 'partition_name', (e.item ->> 'range_from')::timestamptz,
           (e.item ->> 'range_to')::timestamptz, e.item ->> 'action', (e.item ->> 'rows_moved')::bigint
    FROM jsonb_array_elements(v_done) WITH ORDINALITY AS e(item, ord)
    ORDER BY e.ord;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- prune: one table per call, under the upkeep lock, parent locked ACCESS EXCLUSIVE (what DROP and
-- DETACH of a partition take on it anyway) before any partition, 200 ms waits retried five times.
-- p_table NULL is allowed for a dry run only (it takes no table lock).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION "maint"."prune_partitions"(
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
SET lock_timeout = '200ms'
AS $$
#variable_conflict use_column
DECLARE
    v_policy maint.partition_policy;
    v_cutoff timestamptz;
    v_part   record;
    v_target text;
    v_done   jsonb;
    v_locked boolean := false;
BEGIN
    IF p_table IS NULL AND NOT p_dry_run THEN
        RAISE EXCEPTION 'maint.prune_partitions needs a table: upkeep works on one table per transaction, so that it never holds two tables'' locks at once'
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'CALL maint.prune_all_partitions() runs every table of maint.partition_policy, one transaction each.';
    END IF;
    IF p_table IS NOT NULL THEN
        PERFORM maint.resolve_partitioned_table(p_table);
    END IF;
    -- First, before listing: the sizes list_partitions reports open every partition (ACCESS SHARE),
    -- which would wait on a partition that a running ensure is attaching.
    PERFORM maint.take_partition_upkeep_lock();

    FOR v_policy IN
        SELECT * FROM maint.partition_policy p
        WHERE (p_table IS NULL OR p.table_name = p_table) AND p.retention IS NOT NULL
        ORDER BY p.table_name
    LOOP
        PERFORM maint.resolve_partitioned_table(v_policy.table_name);
        v_cutoff := ((p_now AT TIME ZONE 'UTC') - v_policy.retention) AT TIME ZONE 'UTC';

        IF p_dry_run THEN
            RETURN QUERY
            SELECT v_policy.table_name, l.partition_name, l.range_from, l.range_to, 'would_' || v_policy.retention_action
            FROM maint.list_partitions(v_policy.table_name) l
            WHERE NOT l.is_default AND l.range_to <= v_cutoff
            ORDER BY l.range_from;
            CONTINUE;
        END IF;

        IF NOT EXISTS (SELECT 1 FROM maint.list_partitions(v_policy.table_name) l
                       WHERE NOT l.is_default AND l.range_to <= v_cutoff) THEN
            CONTINUE;
        END IF;

        FOR v_attempt IN 1..5 LOOP
            v_done := '[]';
            BEGIN
                EXECUTE format('LOCK TABLE ONLY public.%I IN ACCESS EXCLUSIVE MODE', v_policy.table_name);
                v_locked := true;
                -- Listed again under the lock: another prune may have retired some meanwhile.
                FOR v_part IN
                    SELECT l.partition_name, l.range_from, l.range_to
                    FROM maint.list_partitions(v_policy.table_name) l
                    WHERE NOT l.is_default AND l.range_to <= v_cutoff
                    ORDER BY l.range_from
                LOOP
                    IF v_policy.retention_action = 'drop' THEN
                        EXECUTE format('DROP TABLE public.%I', v_part.partition_name);
                        v_done := v_done || jsonb_build_object('partition_name', v_part.partition_name,
                            'range_from', v_part.range_from, 'range_to', v_part.range_to, 'action', 'dropped');
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
                        v_done := v_done || jsonb_build_object('partition_name', 'partition_archive.' || v_target,
                            'range_from', v_part.range_from, 'range_to', v_part.range_to, 'action', 'detached');
                    END IF;
                END LOOP;
            EXCEPTION WHEN lock_not_available THEN
                v_locked := false;
                IF v_attempt < 5 THEN
                    PERFORM pg_sleep(0.05 * v_attempt);
                ELSE
                    RAISE WARNING 'maint.prune_partitions: % skipped: the table lock was not granted within % in 5 tries; retry later',
                        v_policy.table_name, current_setting('lock_timeout');
                    v_done := jsonb_build_array(jsonb_build_object('action', 'skipped_lock_timeout'));
                END IF;
            END;
            EXIT WHEN v_locked;
        END LOOP;

        RETURN QUERY
        SELECT v_policy.table_name, e.item ->> 'partition_name', (e.item ->> 'range_from')::timestamptz,
               (e.item ->> 'range_to')::timestamptz, e.item ->> 'action'
        FROM jsonb_array_elements(v_done) WITH ORDINALITY AS e(item, ord)
        ORDER BY e.ord;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Every table, one transaction each, in one fixed order (table name), through the sandbox.
-- The shared body of run_job's per-table jobs and of ensure_all_partitions / prune_all_partitions.
-- A table that fails does not stop the others; the first failure is returned for the caller to raise.
-- ---------------------------------------------------------------------------------------------
CREATE PROCEDURE "maint"."run_per_table"(
    p_function          text,
    p_now               timestamptz,
    INOUT total         bigint DEFAULT 0,
    INOUT error_state   text DEFAULT NULL,
    INOUT error_message text DEFAULT NULL
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_tables text[];
    v_table  text;
    v_n      bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM maint.job_functions f WHERE f.function_name = p_function AND f.per_table) THEN
        RAISE EXCEPTION 'maint.% is not a per-table maintenance function', p_function USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT pg_catalog.array_agg(p.table_name ORDER BY p.table_name) INTO v_tables FROM maint.partition_policy p;
    total := 0;
    FOREACH v_table IN ARRAY coalesce(v_tables, '{}') LOOP
        BEGIN
            SELECT (j ->> 'count')::bigint INTO v_n
            FROM maint.run_sandboxed(pg_catalog.format('SELECT count(*) FROM maint.%s(%L, %L)', p_function, v_table, p_now)) j;
            total := total + v_n;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            IF error_state IS NULL THEN
                GET STACKED DIAGNOSTICS error_state = RETURNED_SQLSTATE, error_message = MESSAGE_TEXT;
                error_message := v_table || ': ' || error_message;
            END IF;
        END;
        COMMIT;
    END LOOP;
END
$$;

CREATE PROCEDURE "maint"."ensure_all_partitions"(p_now timestamptz DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    v_total bigint;
    v_state text;
    v_message text;
BEGIN
    CALL maint.run_per_table('ensure_partitions', coalesce(p_now, pg_catalog.now()), v_total, v_state, v_message);
    IF v_state IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = 'maint.ensure_all_partitions: ' || v_message;
    END IF;
END
$$;

CREATE PROCEDURE "maint"."prune_all_partitions"(p_now timestamptz DEFAULT NULL)
LANGUAGE plpgsql
AS $$
DECLARE
    v_total bigint;
    v_state text;
    v_message text;
BEGIN
    CALL maint.run_per_table('prune_partitions', coalesce(p_now, pg_catalog.now()), v_total, v_state, v_message);
    IF v_state IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = 'maint.prune_all_partitions: ' || v_message;
    END IF;
END
$$;

-- Archival: batches serialise on the job's lock (two batches deleting characters that are related to
-- each other cascade into character_relationships in opposite orders and deadlock). The same key
-- run_job holds for mmo-archive-characters: a session holding it already passes at once.
CREATE OR REPLACE FUNCTION "maint"."archive_deleted_characters"(
    p_older_than interval DEFAULT interval '90 days',
    p_batch_size integer  DEFAULT 1000
)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET lock_timeout = '5min'
AS $$
DECLARE
    v_archived integer;
BEGIN
    IF p_older_than IS NULL OR p_older_than < interval '0' THEN
        RAISE EXCEPTION 'p_older_than must be a non-negative interval, got %', p_older_than
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_batch_size IS NULL OR p_batch_size < 1 OR p_batch_size > 100000 THEN
        RAISE EXCEPTION 'p_batch_size must be between 1 and 100000, got %', p_batch_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    PERFORM pg_advisory_xact_lock(hashtext('mmo maintain'), hashtext('mmo-archive-characters'));
    -- Back to the caller's bound for the rows themselves.
    PERFORM set_config('lock_timeout', '2s', true);

    WITH victims AS (
        SELECT c.*
        FROM public.characters c
        WHERE c.is_deleted AND c.deleted_at < now() - p_older_than
        ORDER BY c.deleted_at, c.id
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED
    ), archived AS (
        INSERT INTO public.characters_archive AS a (
            "id", "user_id", "name", "class", "race", "level", "experience", "health", "max_health", "mana", "max_mana", "stamina", "max_stamina", "position_x", "position_y", "position_z", "rotation_yaw", "zone_id", "is_online", "last_played", "play_time", "is_deleted", "deleted_at", "created_at", "updated_at",
            "archived_at", "snapshot")
        SELECT v."id", v."user_id", v."name", v."class", v."race", v."level", v."experience", v."health", v."max_health", v."mana", v."max_mana", v."stamina", v."max_stamina", v."position_x", v."position_y", v."position_z", v."rotation_yaw", v."zone_id", v."is_online", v."last_played", v."play_time", v."is_deleted", v."deleted_at", v."created_at", v."updated_at",
            now(),
            jsonb_build_object(
                'stats', (SELECT to_jsonb(s) - 'character_id'
                          FROM public.character_stats s WHERE s.character_id = v.id),
                'inventory', coalesce((SELECT jsonb_agg(to_jsonb(i) - 'character_id' ORDER BY i.slot_type, i.slot_number)
                                       FROM public.character_inventory i WHERE i.character_id = v.id), '[]'::jsonb),
                'abilities', coalesce((SELECT jsonb_agg(to_jsonb(ab) - 'character_id' ORDER BY ab.ability_id)
                                       FROM public.character_abilities ab WHERE ab.character_id = v.id), '[]'::jsonb),
                'quests', coalesce((SELECT jsonb_agg(to_jsonb(q) - 'character_id' ORDER BY q.quest_id)
                                    FROM public.character_quests q WHERE q.character_id = v.id), '[]'::jsonb),
                'achievements', coalesce((SELECT jsonb_agg(to_jsonb(ac) - 'character_id' ORDER BY ac.achievement_id)
                                          FROM public.character_achievements ac WHERE ac.character_id = v.id), '[]'::jsonb),
                'guild_memberships', coalesce((SELECT jsonb_agg(to_jsonb(gm) - 'character_id' ORDER BY gm.guild_id)
                                               FROM public.guild_members gm WHERE gm.character_id = v.id), '[]'::jsonb))
        FROM victims v
        ON CONFLICT ("id") DO UPDATE SET
            "user_id" = EXCLUDED."user_id",
            "name" = EXCLUDED."name",
            "class" = EXCLUDED."class",
            "race" = EXCLUDED."race",
            "level" = EXCLUDED."level",
            "experience" = EXCLUDED."experience",
            "health" = EXCLUDED."health",
            "max_health" = EXCLUDED."max_health",
            "mana" = EXCLUDED."mana",
            "max_mana" = EXCLUDED."max_mana",
            "stamina" = EXCLUDED."stamina",
            "max_stamina" = EXCLUDED."max_stamina",
            "position_x" = EXCLUDED."position_x",
            "position_y" = EXCLUDED."position_y",
            "position_z" = EXCLUDED."position_z",
            "rotation_yaw" = EXCLUDED."rotation_yaw",
            "zone_id" = EXCLUDED."zone_id",
            "is_online" = EXCLUDED."is_online",
            "last_played" = EXCLUDED."last_played",
            "play_time" = EXCLUDED."play_time",
            "is_deleted" = EXCLUDED."is_deleted",
            "deleted_at" = EXCLUDED."deleted_at",
            "created_at" = EXCLUDED."created_at",
            "updated_at" = EXCLUDED."updated_at",
            "archived_at" = EXCLUDED."archived_at",
            "snapshot" = EXCLUDED."snapshot"
        RETURNING a."id"
    )
    DELETE FROM public.characters c
    USING archived x
    WHERE c.id = x.id;

    GET DIAGNOSTICS v_archived = ROW_COUNT;
    RETURN v_archived;
END
$$;

-- Presence expiry: the characters' online flag is changed only on rows no game transaction holds
-- (SKIP LOCKED), so expiry never waits on a game transaction that may be waiting on it; a character
-- skipped now is caught by the next run (its presence row is gone, the second statement finds it).
CREATE OR REPLACE FUNCTION "maint"."expire_player_presence"(p_stale_after interval DEFAULT interval '5 minutes')
RETURNS TABLE (presence_removed integer, characters_marked_offline integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_offline integer;
BEGIN
    IF p_stale_after IS NULL OR p_stale_after <= interval '0' THEN
        RAISE EXCEPTION 'p_stale_after must be a positive interval, got %', p_stale_after
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    WITH gone AS (
        DELETE FROM public.player_presence p
        WHERE p.character_id IN (
            SELECT x.character_id FROM public.player_presence x
            WHERE x.last_heartbeat < now() - p_stale_after
            FOR UPDATE SKIP LOCKED)
          AND p.last_heartbeat < now() - p_stale_after
        RETURNING p.character_id
    ), offline AS (
        UPDATE public.characters c
        SET is_online = false, updated_at = now()
        WHERE c.id IN (SELECT x.id FROM public.characters x JOIN gone g ON g.character_id = x.id
                       WHERE x.is_online FOR UPDATE OF x SKIP LOCKED)
        RETURNING c.id
    )
    SELECT (SELECT count(*) FROM gone)::integer, (SELECT count(*) FROM offline)::integer
    INTO presence_removed, characters_marked_offline;

    UPDATE public.characters c
    SET is_online = false, updated_at = now()
    WHERE c.id IN (SELECT x.id FROM public.characters x
                   WHERE x.is_online
                     AND x.updated_at < now() - p_stale_after
                     AND NOT EXISTS (SELECT 1 FROM public.player_presence p WHERE p.character_id = x.id)
                   FOR UPDATE OF x SKIP LOCKED);
    GET DIAGNOSTICS v_offline = ROW_COUNT;
    characters_marked_offline := characters_marked_offline + v_offline;

    RETURN NEXT;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- run_job: as before (job lock, not-started-since re-check, job_runs), but the command runs in the
-- sandbox, only if it is an allow-listed call; a per-table function called without arguments runs
-- once per table, one transaction each (maint.run_per_table).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE PROCEDURE "maint"."run_job"(
    p_job_name          text,
    p_not_started_since timestamptz DEFAULT NULL,
    INOUT outcome       text DEFAULT NULL,
    INOUT result        text DEFAULT NULL
)
LANGUAGE plpgsql
AS $$
DECLARE
    v_job      maint.cron_jobs;
    v_k1       integer := pg_catalog.hashtext('mmo maintain');
    v_k2       integer := pg_catalog.hashtext(p_job_name);
    v_prev     maint.job_runs;
    v_started  timestamptz;
    v_function text;
    v_per_table boolean;
    v_json     json;
    v_total    bigint;
    v_state    text;
    v_message  text;
    v_detail   text;
    v_hint     text;
BEGIN
    COMMIT;

    SELECT * INTO v_job FROM maint.cron_jobs j WHERE j.job_name = p_job_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown maintenance job %: not listed in maint.cron_jobs', pg_catalog.quote_literal(p_job_name)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT v_job.enabled THEN
        outcome := 'disabled';
        RETURN;
    END IF;

    IF NOT pg_catalog.pg_try_advisory_lock(v_k1, v_k2) THEN
        outcome := 'skipped_locked';
        RETURN;
    END IF;

    BEGIN
        SELECT * INTO v_prev FROM maint.job_runs r WHERE r.job_name = p_job_name;
        IF p_not_started_since IS NOT NULL AND v_prev.last_started_at >= p_not_started_since THEN
            PERFORM pg_catalog.pg_advisory_unlock(v_k1, v_k2);
            outcome := 'not_due';
            RETURN;
        END IF;
        v_started := pg_catalog.clock_timestamp();
        INSERT INTO maint.job_runs AS r (job_name, status, last_started_at, last_run_by, run_count)
        VALUES (p_job_name, 'running', v_started, pg_catalog.current_setting('application_name'), 1)
        ON CONFLICT (job_name) DO UPDATE
        SET status           = 'running',
            last_started_at  = EXCLUDED.last_started_at,
            last_finished_at = NULL,
            last_duration    = NULL,
            last_result      = NULL,
            last_error       = CASE WHEN r.status = 'running' THEN 'interrupted: the session running it ended before it finished' ELSE r.last_error END,
            last_sqlstate    = CASE WHEN r.status = 'running' THEN NULL ELSE r.last_sqlstate END,
            last_failed_at   = CASE WHEN r.status = 'running' THEN r.last_started_at ELSE r.last_failed_at END,
            failure_count    = r.failure_count + CASE WHEN r.status = 'running' THEN 1 ELSE 0 END,
            last_run_by      = EXCLUDED.last_run_by,
            run_count        = r.run_count + 1;
        v_function := maint.job_command_function(v_job.command);
        SELECT f.per_table INTO v_per_table FROM maint.job_functions f WHERE f.function_name = pg_catalog.lower(v_function);
        v_per_table := coalesce(v_per_table, false)
            AND v_job.command ~* '^\s*SELECT\s+count\(\*\)\s+FROM\s+maint\.[a-z_][a-z0-9_]*\(\s*\)\s*;?\s*$';
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_catalog.pg_advisory_unlock(v_k1, v_k2);
        RAISE;
    END;
    COMMIT;

    IF v_per_table THEN
        -- Outside any exception block: run_per_table commits after each table.
        CALL maint.run_per_table(pg_catalog.lower(v_function), pg_catalog.now(), v_total, v_state, v_message);
        result := CASE WHEN v_state IS NULL THEN v_total::text END;
    ELSE
        BEGIN
            IF v_function IS NULL THEN
                RAISE EXCEPTION 'command % is not a call of an allow-listed maint function', pg_catalog.quote_literal(v_job.command)
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = 'See maint.job_functions.';
            END IF;
            SELECT j INTO v_json FROM maint.run_sandboxed(v_job.command) j LIMIT 1;
            SELECT CASE WHEN count(*) OVER () = 1 THEN e.value ELSE v_json::text END
            INTO result
            FROM pg_catalog.json_each_text(v_json) e
            LIMIT 1;
        EXCEPTION WHEN OTHERS OR query_canceled THEN
            GET STACKED DIAGNOSTICS v_state   = RETURNED_SQLSTATE,
                                    v_message = MESSAGE_TEXT,
                                    v_detail  = PG_EXCEPTION_DETAIL,
                                    v_hint    = PG_EXCEPTION_HINT;
            result := NULL;
        END;
    END IF;

    UPDATE maint.job_runs r
    SET status           = CASE WHEN v_state IS NULL THEN 'succeeded' ELSE 'failed' END,
        last_finished_at = pg_catalog.clock_timestamp(),
        last_duration    = pg_catalog.clock_timestamp() - v_started,
        last_result      = result,
        last_error       = CASE WHEN v_state IS NULL THEN r.last_error ELSE v_message END,
        last_sqlstate    = CASE WHEN v_state IS NULL THEN r.last_sqlstate ELSE v_state END,
        last_failed_at   = CASE WHEN v_state IS NULL THEN r.last_failed_at ELSE v_started END,
        failure_count    = r.failure_count + CASE WHEN v_state IS NULL THEN 0 ELSE 1 END
    WHERE r.job_name = p_job_name;
    COMMIT;
    PERFORM pg_catalog.pg_advisory_unlock(v_k1, v_k2);

    IF v_state IS NOT NULL THEN
        v_detail := nullif(v_detail, '');
        v_hint := nullif(v_hint, '');
        v_message := pg_catalog.format('maintenance job %s failed: %s', p_job_name, v_message);
        IF v_detail IS NOT NULL AND v_hint IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, DETAIL = v_detail, HINT = v_hint;
        ELSIF v_detail IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, DETAIL = v_detail;
        ELSIF v_hint IS NOT NULL THEN
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message, HINT = v_hint;
        ELSE
            RAISE EXCEPTION USING ERRCODE = v_state, MESSAGE = v_message;
        END IF;
    END IF;
    outcome := 'ran';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Least privilege for data. apply_role_grants (which later migrations call for new tables) now
-- leaves out the columns a role must not have:
--   trigger-kept counters: mmo_app may read them, never UPDATE them;
--   secrets (password hashes, session token hashes): mmo_readonly never reads them.
-- Those tables get column grants; a column added to them later is granted by calling it again.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION "maint"."apply_role_grants"()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rel      record;
    v_counters CONSTANT text[] := ARRAY['users.character_count', 'guilds.member_count'];
    v_secrets  CONSTANT text[] := ARRAY['users.password_hash', 'sessions.token_hash'];
    v_cols     text;
BEGIN
    GRANT USAGE, CREATE ON SCHEMA public TO mmo_migrator;
    GRANT USAGE ON SCHEMA public TO mmo_app, mmo_readonly;

    FOR v_rel IN
        SELECT c.oid, c.relname, c.relkind
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND NOT c.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          AND c.relname NOT LIKE '\_prisma\_%'
        ORDER BY c.relname
    LOOP
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
        FROM pg_attribute a
        WHERE a.attrelid = v_rel.oid AND a.attnum > 0 AND NOT a.attisdropped
          AND NOT (v_rel.relname || '.' || a.attname) = ANY (v_secrets);
        IF EXISTS (SELECT 1 FROM unnest(v_secrets) s WHERE split_part(s, '.', 1) = v_rel.relname) THEN
            EXECUTE format('REVOKE SELECT ON public.%I FROM mmo_readonly', v_rel.relname);
            EXECUTE format('GRANT SELECT (%s) ON public.%I TO mmo_readonly', v_cols, v_rel.relname);
        ELSE
            EXECUTE format('GRANT SELECT ON public.%I TO mmo_readonly', v_rel.relname);
        END IF;

        IF v_rel.relname = 'audit_log' THEN
            EXECUTE format('GRANT INSERT ON public.%I TO mmo_app', v_rel.relname);
        ELSIF v_rel.relname = 'characters_archive' OR v_rel.relkind IN ('v', 'm') THEN
            EXECUTE format('GRANT SELECT ON public.%I TO mmo_app', v_rel.relname);
        ELSIF EXISTS (SELECT 1 FROM unnest(v_counters) s WHERE split_part(s, '.', 1) = v_rel.relname) THEN
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
            FROM pg_attribute a
            WHERE a.attrelid = v_rel.oid AND a.attnum > 0 AND NOT a.attisdropped
              AND NOT (v_rel.relname || '.' || a.attname) = ANY (v_counters);
            EXECUTE format('GRANT SELECT, INSERT, DELETE ON public.%I TO mmo_app', v_rel.relname);
            EXECUTE format('REVOKE UPDATE ON public.%I FROM mmo_app', v_rel.relname);
            EXECUTE format('GRANT UPDATE (%s) ON public.%I TO mmo_app', v_cols, v_rel.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO mmo_app', v_rel.relname);
        END IF;
    END LOOP;
END
$$;

-- A role that may not UPDATE a counter may not choose its starting value either: Prisma sends the
-- column's default with every create, so INSERT stays granted and the value is reset to 0 here.
CREATE FUNCTION "maint"."counter_starts_at_zero"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF NOT has_column_privilege(TG_RELID, TG_ARGV[0], 'UPDATE') THEN
        NEW := json_populate_record(NEW, json_build_object(TG_ARGV[0], 0));
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER "trg_users_character_count_starts_at_zero"
    BEFORE INSERT ON "users"
    FOR EACH ROW EXECUTE FUNCTION "maint"."counter_starts_at_zero"('character_count');
CREATE TRIGGER "trg_guilds_member_count_starts_at_zero"
    BEFORE INSERT ON "guilds"
    FOR EACH ROW EXECUTE FUNCTION "maint"."counter_starts_at_zero"('member_count');

-- The counter triggers now run as mmo_maint (below), which may update the counters; the game's
-- role may not.
ALTER FUNCTION "maint"."characters_maintain_user_count"() SECURITY DEFINER;
ALTER FUNCTION "maint"."guild_members_maintain_member_count"() SECURITY DEFINER;

-- The period helpers pin search_path like every other maint function.
ALTER FUNCTION "maint"."period_start"(text, timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION "maint"."period_add"(text, timestamptz, integer) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION "maint"."partition_name"(text, text, timestamptz) SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION "maint"."bound_literal"(timestamptz) SET search_path = pg_catalog, pg_temp;

-- ---------------------------------------------------------------------------------------------
-- Ownership. Schema maint and everything in it: mmo_maint_owner. The sandbox and the counter
-- triggers: mmo_maint (they run as it). _prisma_migrations: mmo_migrator (the deployer runs
-- migrate status / deploy / backup, which read, write and lock it).
-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE
    v_obj record;
BEGIN
    ALTER SCHEMA maint OWNER TO mmo_maint_owner;
    FOR v_obj IN
        SELECT c.relname, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
        FROM pg_class c
        WHERE c.relnamespace = 'maint'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s maint.%I OWNER TO mmo_maint_owner', v_obj.kind, v_obj.relname);
    END LOOP;
    FOR v_obj IN
        SELECT p.oid::regprocedure AS sig, p.prokind FROM pg_proc p WHERE p.pronamespace = 'maint'::regnamespace
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO mmo_maint_owner', CASE v_obj.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, v_obj.sig);
    END LOOP;
    IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
        ALTER TABLE public._prisma_migrations OWNER TO mmo_migrator;
    END IF;
END
$$;
ALTER FUNCTION "maint"."job_exec"(text) OWNER TO mmo_maint;
ALTER FUNCTION "maint"."characters_maintain_user_count"() OWNER TO mmo_maint;
ALTER FUNCTION "maint"."guild_members_maintain_member_count"() OWNER TO mmo_maint;

-- What the deployer (mmo_migrator) keeps: read everything in maint, run it, record job runs, manage
-- job schedules (commands are checked by trigger) and partition policies; not change the code.
GRANT USAGE ON SCHEMA maint TO mmo_migrator;
GRANT SELECT ON ALL TABLES IN SCHEMA maint TO mmo_migrator;
GRANT INSERT, UPDATE, DELETE ON maint.job_runs, maint.cron_jobs, maint.partition_policy TO mmo_migrator;
REVOKE EXECUTE ON FUNCTION maint.job_exec(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION maint.job_exec(text) TO mmo_migrator;

DO $$ BEGIN PERFORM maint.apply_role_grants(); END $$;

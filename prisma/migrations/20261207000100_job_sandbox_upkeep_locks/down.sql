-- Rollback of 20261207000100_job_sandbox_upkeep_locks
-- Data loss: rows a superuser added to the allow-list maint.job_functions (the table is dropped)
-- Ownership of schema maint returns to mmo_migrator, the functions to their earlier bodies, the
-- roles' privileges to what 20261125001300_roles granted. The roles mmo_maint and mmo_maint_owner
-- are dropped when no other database of the cluster still uses them. Must run as a superuser.

SET LOCAL lock_timeout = '2s';

DROP TRIGGER IF EXISTS "trg_users_character_count_starts_at_zero" ON "users";
DROP TRIGGER IF EXISTS "trg_guilds_member_count_starts_at_zero" ON "guilds";
DROP FUNCTION IF EXISTS "maint"."counter_starts_at_zero"();
DROP TRIGGER IF EXISTS "cron_jobs_check_command" ON "maint"."cron_jobs";
DROP FUNCTION IF EXISTS "maint"."cron_jobs_check_command"();
DROP PROCEDURE IF EXISTS "maint"."ensure_all_partitions"(timestamptz);
DROP PROCEDURE IF EXISTS "maint"."prune_all_partitions"(timestamptz);
DROP PROCEDURE IF EXISTS "maint"."run_per_table"(text, timestamptz, bigint, text, text);
DROP FUNCTION IF EXISTS "maint"."run_sandboxed"(text);
DROP FUNCTION IF EXISTS "maint"."assert_job_sandbox"();
DROP FUNCTION IF EXISTS "maint"."job_exec"(text);
DROP FUNCTION IF EXISTS "maint"."job_command_function"(text);
DROP FUNCTION IF EXISTS "maint"."take_partition_upkeep_lock"();
DROP TABLE IF EXISTS "maint"."job_functions";

ALTER FUNCTION "maint"."characters_maintain_user_count"() SECURITY INVOKER;
ALTER FUNCTION "maint"."guild_members_maintain_member_count"() SECURITY INVOKER;
ALTER FUNCTION "maint"."period_start"(text, timestamptz) RESET search_path;
ALTER FUNCTION "maint"."period_add"(text, timestamptz, integer) RESET search_path;
ALTER FUNCTION "maint"."partition_name"(text, text, timestamptz) RESET search_path;
ALTER FUNCTION "maint"."bound_literal"(timestamptz) RESET search_path;

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

CREATE OR REPLACE FUNCTION "maint"."archive_deleted_characters"(
    p_older_than interval DEFAULT interval '90 days',
    p_batch_size integer  DEFAULT 1000
)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
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

    -- Stale presence rows and their characters' online flag, in one statement. A heartbeat that
    -- commits first wins: the row is re-checked under its lock and kept.
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
        FROM gone g
        WHERE c.id = g.character_id AND c.is_online
        RETURNING c.id
    )
    SELECT (SELECT count(*) FROM gone)::integer, (SELECT count(*) FROM offline)::integer
    INTO presence_removed, characters_marked_offline;

    -- Characters still flagged online without any presence row (e.g. a crashed server that never
    -- wrote presence). Characters changed within p_stale_after are left alone so that a login that
    -- sets is_online before inserting its presence row is not undone.
    UPDATE public.characters c
    SET is_online = false, updated_at = now()
    WHERE c.is_online
      AND c.updated_at < now() - p_stale_after
      AND NOT EXISTS (SELECT 1 FROM public.player_presence p WHERE p.character_id = c.id);
    GET DIAGNOSTICS v_offline = ROW_COUNT;
    characters_marked_offline := characters_marked_offline + v_offline;

    RETURN NEXT;
END
$$;

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
    v_row      record;
    v_rows     bigint;
    v_state    text;
    v_message  text;
    v_detail   text;
    v_hint     text;
BEGIN
    -- Fails at once ("invalid transaction termination") when called inside a transaction block,
    -- before any lock is taken: the procedure commits its own steps.
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

    -- A session lock: it must outlive the commits below. Another holder is running this job now.
    IF NOT pg_catalog.pg_try_advisory_lock(v_k1, v_k2) THEN
        outcome := 'skipped_locked';
        RETURN;
    END IF;

    BEGIN
        SELECT * INTO v_prev FROM maint.job_runs r WHERE r.job_name = p_job_name;
        -- Re-checked under the lock: whoever held it before us may have just run this firing.
        IF p_not_started_since IS NOT NULL AND v_prev.last_started_at >= p_not_started_since THEN
            PERFORM pg_catalog.pg_advisory_unlock(v_k1, v_k2);
            outcome := 'not_due';
            RETURN;
        END IF;
        v_started := pg_catalog.clock_timestamp();
        -- A row still 'running' while we hold the lock: that run's session died mid-way.
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
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        PERFORM pg_catalog.pg_advisory_unlock(v_k1, v_k2);
        RAISE;
    END;
    COMMIT;

    -- The job itself, in a subtransaction: its error is captured, recorded, then raised again.
    BEGIN
        IF v_job.command ~* '^\s*(SELECT|VALUES|TABLE)\M' THEN
            EXECUTE v_job.command INTO v_row;
            SELECT CASE WHEN count(*) OVER () = 1 THEN e.value ELSE pg_catalog.row_to_json(v_row)::text END
            INTO result
            FROM pg_catalog.json_each_text(pg_catalog.row_to_json(v_row)) e
            LIMIT 1;
        ELSE
            EXECUTE v_job.command;
            GET DIAGNOSTICS v_rows = ROW_COUNT;
            result := v_rows::text;
        END IF;
    EXCEPTION WHEN OTHERS OR query_canceled THEN
        GET STACKED DIAGNOSTICS v_state   = RETURNED_SQLSTATE,
                                v_message = MESSAGE_TEXT,
                                v_detail  = PG_EXCEPTION_DETAIL,
                                v_hint    = PG_EXCEPTION_HINT;
        result := NULL;
    END;

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

CREATE OR REPLACE FUNCTION "maint"."apply_role_grants"()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_rel record;
BEGIN
    GRANT USAGE, CREATE ON SCHEMA public TO mmo_migrator;
    GRANT USAGE ON SCHEMA public TO mmo_app, mmo_readonly;

    FOR v_rel IN
        SELECT c.relname, c.relkind
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
          AND NOT c.relispartition
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          AND c.relname NOT LIKE '\_prisma\_%'
        ORDER BY c.relname
    LOOP
        EXECUTE format('GRANT SELECT ON public.%I TO mmo_readonly', v_rel.relname);
        IF v_rel.relname = 'audit_log' THEN
            EXECUTE format('GRANT INSERT ON public.%I TO mmo_app', v_rel.relname);
        ELSIF v_rel.relname = 'characters_archive' OR v_rel.relkind IN ('v', 'm') THEN
            EXECUTE format('GRANT SELECT ON public.%I TO mmo_app', v_rel.relname);
        ELSE
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON public.%I TO mmo_app', v_rel.relname);
        END IF;
    END LOOP;
END
$$;

-- Privileges: the column grants go with the table-level revokes, then the earlier matrix.
REVOKE ALL ON "users", "guilds", "sessions" FROM mmo_app, mmo_readonly;
DO $$ BEGIN PERFORM maint.apply_role_grants(); END $$;

REVOKE ALL ON ALL TABLES IN SCHEMA maint FROM mmo_migrator;
REVOKE ALL ON SCHEMA maint FROM mmo_migrator;

DO $$
DECLARE
    v_obj record;
BEGIN
    ALTER SCHEMA maint OWNER TO mmo_migrator;
    FOR v_obj IN
        SELECT c.relname, CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END AS kind
        FROM pg_class c
        WHERE c.relnamespace = 'maint'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
    LOOP
        EXECUTE format('ALTER %s maint.%I OWNER TO mmo_migrator', v_obj.kind, v_obj.relname);
    END LOOP;
    FOR v_obj IN
        SELECT p.oid::regprocedure AS sig, p.prokind FROM pg_proc p WHERE p.pronamespace = 'maint'::regnamespace
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO mmo_migrator', CASE v_obj.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, v_obj.sig);
    END LOOP;
    IF to_regclass('public._prisma_migrations') IS NOT NULL THEN
        EXECUTE format('ALTER TABLE public._prisma_migrations OWNER TO %I', current_user);
    END IF;
END
$$;

-- Cluster-wide roles and the cluster-wide pg_monitor membership: undone only when no other database
-- of the cluster still uses them (mmo_maint_owner owns schema maint wherever this migration is applied).
DO $$
DECLARE
    v_role text;
    v_in_use boolean := false;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['mmo_maint', 'mmo_maint_owner'] LOOP
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('DROP ROLE %I', v_role);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                v_in_use := true;
                RAISE NOTICE 'role % kept: another database of this cluster still uses it', v_role;
            END;
        END IF;
    END LOOP;
    IF NOT v_in_use THEN
        REVOKE pg_monitor FROM mmo_migrator;
    ELSE
        RAISE NOTICE 'mmo_migrator stays a member of pg_monitor: another database of this cluster still runs 20261207000100_job_sandbox_upkeep_locks';
    END IF;
END
$$;

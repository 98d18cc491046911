-- Maintenance job runs: one way to run a job of maint.cron_jobs, shared by pg_cron and `mmo maintain`.
--
--   maint.job_runs        per job: last start/finish, status, result, error, duration, run and
--                         failure counts. Due-ness is computed from last_started_at, so every
--                         maintain process and pg_cron see the same history, across restarts.
--   maint.run_job(…)      PROCEDURE (CALL at top level): takes the job's session advisory lock (the
--                         key `mmo maintain` uses), re-checks under it that the job was not started
--                         since the given time, records 'running' and commits, runs the job's command,
--                         records the outcome and commits, releases the lock, and re-raises a failure
--                         with its original SQLSTATE (so pg_cron logs the run failed).
--   maint.cron_command(…) the command pg_cron schedules for a job: a run_job call.
--   maint.job_status()    every job with its last run; 'interrupted' when a run died mid-way.
--   maint.counter_drift(), maint.archivable_characters(…), maint.expiry_backlog(…): the read-only
--                         checks `mmo validate` reports, next to the functions they mirror.
--
-- In the pg_cron database, jobs already scheduled under maint.cron_jobs' names are switched to the
-- run_job call (cron.alter_job keeps their schedule and id); anywhere else a NOTICE says to run
-- `mmo cron install`, which schedules the run_job call too.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "maint"."job_runs" (
    "job_name"         TEXT        NOT NULL,
    "status"           TEXT        NOT NULL,
    "last_started_at"  TIMESTAMPTZ NOT NULL,
    "last_finished_at" TIMESTAMPTZ,
    "last_duration"    INTERVAL,
    "last_result"      TEXT,
    "last_error"       TEXT,
    "last_sqlstate"    TEXT,
    "last_failed_at"   TIMESTAMPTZ,
    "last_run_by"      TEXT,
    "run_count"        BIGINT      NOT NULL DEFAULT 0,
    "failure_count"    BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT "job_runs_pkey" PRIMARY KEY ("job_name"),
    CONSTRAINT "job_runs_job_name_fkey" FOREIGN KEY ("job_name")
        REFERENCES "maint"."cron_jobs" ("job_name") ON UPDATE CASCADE ON DELETE CASCADE,
    CONSTRAINT "job_runs_status_check" CHECK ("status" IN ('running', 'succeeded', 'failed'))
);
COMMENT ON TABLE "maint"."job_runs" IS
    'Last run of each maintenance job (written by maint.run_job, for pg_cron and mmo maintain alike); last_error, last_sqlstate and last_failed_at describe the most recent failure. status running with no session holding the job''s advisory lock means the run was interrupted.';

-- The pg_cron command of a job. pg_cron fires at minute boundaries, so "not started since the start
-- of this minute" is "not already run for this firing" (by `mmo maintain`, or a second pg_cron).
CREATE FUNCTION "maint"."cron_command"(p_job_name text)
RETURNS text
LANGUAGE sql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT format('CALL maint.run_job(%L, date_trunc(''minute'', now()))', p_job_name)
$$;

-- No SET clause (search_path): PostgreSQL forbids COMMIT in a procedure that has one. Every name
-- below is schema-qualified instead; the job's command runs with the caller's settings, exactly as
-- pg_cron would run it directly.
CREATE PROCEDURE "maint"."run_job"(
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

COMMENT ON PROCEDURE "maint"."run_job"(text, timestamptz, text, text) IS
    'Run one job of maint.cron_jobs under its advisory lock and record it in maint.job_runs. CALL at top level. outcome: ran | not_due (started at or after p_not_started_since) | skipped_locked | disabled; a failure is recorded, then raised with its SQLSTATE.';

-- Every job with its last run. 'interrupted': recorded as running, but no session holds its lock.
CREATE FUNCTION "maint"."job_status"()
RETURNS TABLE (
    job_name         text,
    schedule         text,
    enabled          boolean,
    status           text,
    last_started_at  timestamptz,
    last_finished_at timestamptz,
    last_duration    interval,
    last_result      text,
    last_error       text,
    last_sqlstate    text,
    last_failed_at   timestamptz,
    last_run_by      text,
    run_count        bigint,
    failure_count    bigint
)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT j.job_name, j.schedule, j.enabled,
           CASE WHEN r.job_name IS NULL THEN 'never'
                WHEN r.status = 'running' AND NOT EXISTS (
                    SELECT 1 FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                      AND l.database = (SELECT d.oid FROM pg_database d WHERE d.datname = current_database())
                      AND l.classid = hashtext('mmo maintain')::oid AND l.objid = hashtext(j.job_name)::oid)
                THEN 'interrupted'
                ELSE r.status END,
           r.last_started_at, r.last_finished_at, r.last_duration, r.last_result, r.last_error,
           r.last_sqlstate, r.last_failed_at, r.last_run_by,
           coalesce(r.run_count, 0), coalesce(r.failure_count, 0)
    FROM maint.cron_jobs j
    LEFT JOIN maint.job_runs r ON r.job_name = j.job_name
    ORDER BY j.job_name
$$;

-- Read-only counterpart of maint.recount_denormalized_counters: rows whose counter is wrong.
CREATE FUNCTION "maint"."counter_drift"()
RETURNS TABLE (counter text, drifted bigint)
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT 'users.character_count'::text,
           (SELECT count(*) FROM public.users u
            WHERE u.character_count <> (SELECT count(*) FROM public.characters c
                                        WHERE c.user_id = u.id AND NOT c.is_deleted))
    UNION ALL
    SELECT 'guilds.member_count'::text,
           (SELECT count(*) FROM public.guilds g
            WHERE g.member_count <> (SELECT count(*) FROM public.guild_members m WHERE m.guild_id = g.id))
$$;

-- The characters maint.archive_deleted_characters(p_older_than) would move (same predicate).
CREATE FUNCTION "maint"."archivable_characters"(p_older_than interval DEFAULT interval '90 days')
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_older_than IS NULL OR p_older_than < interval '0' THEN
        RAISE EXCEPTION 'p_older_than must be a non-negative interval, got %', p_older_than
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN (SELECT count(*) FROM public.characters c WHERE c.is_deleted AND c.deleted_at < now() - p_older_than);
END
$$;

-- Rows the expiry and archive jobs should already have handled: past the limit their job's default
-- command applies (the defaults of maint.expire_*, purge_sessions, archive_deleted_characters) by
-- more than p_grace. One row per check of p_job (NULL: every job); jobs without expiry return none.
CREATE FUNCTION "maint"."expiry_backlog"(p_job text DEFAULT NULL, p_grace interval DEFAULT interval '1 hour')
RETURNS TABLE (job_name text, table_name text, backlog text, overdue bigint)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_cutoff timestamptz;
BEGIN
    IF p_grace IS NULL OR p_grace < interval '0' THEN
        RAISE EXCEPTION 'p_grace must be a non-negative interval, got %', p_grace
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_cutoff := now() - p_grace;

    IF p_job IS NULL OR p_job = 'mmo-expire-effects' THEN
        job_name := 'mmo-expire-effects'; table_name := 'character_effects'; backlog := 'expired effects not deleted';
        SELECT count(*) INTO overdue FROM public.character_effects e WHERE e.expires_at <= v_cutoff;
        RETURN NEXT;
    END IF;
    IF p_job IS NULL OR p_job = 'mmo-expire-world-state' THEN
        job_name := 'mmo-expire-world-state'; table_name := 'world_state'; backlog := 'expired world_state rows not deleted';
        SELECT count(*) INTO overdue FROM public.world_state w WHERE w.expires_at IS NOT NULL AND w.expires_at <= v_cutoff;
        RETURN NEXT;
    END IF;
    IF p_job IS NULL OR p_job = 'mmo-expire-mail' THEN
        job_name := 'mmo-expire-mail'; table_name := 'character_mail'; backlog := 'expired mails not soft-deleted';
        SELECT count(*) INTO overdue FROM public.character_mail m
        WHERE m.expires_at IS NOT NULL AND m.expires_at <= v_cutoff AND NOT m.is_deleted;
        RETURN NEXT;
        backlog := 'expired mails not purged after 30 days';
        SELECT count(*) INTO overdue FROM public.character_mail m
        WHERE m.expires_at IS NOT NULL AND m.expires_at <= v_cutoff - interval '30 days' AND m.is_deleted;
        RETURN NEXT;
    END IF;
    IF p_job IS NULL OR p_job = 'mmo-expire-presence' THEN
        job_name := 'mmo-expire-presence'; table_name := 'player_presence'; backlog := 'stale presence rows (no heartbeat for 5 minutes)';
        SELECT count(*) INTO overdue FROM public.player_presence p WHERE p.last_heartbeat < v_cutoff - interval '5 minutes';
        RETURN NEXT;
        table_name := 'characters'; backlog := 'characters flagged online without a presence row';
        SELECT count(*) INTO overdue FROM public.characters c
        WHERE c.is_online AND c.updated_at < v_cutoff - interval '5 minutes'
          AND NOT EXISTS (SELECT 1 FROM public.player_presence p WHERE p.character_id = c.id);
        RETURN NEXT;
    END IF;
    IF p_job IS NULL OR p_job = 'mmo-purge-sessions' THEN
        job_name := 'mmo-purge-sessions'; table_name := 'sessions'; backlog := 'sessions expired or revoked over 30 days ago not purged';
        SELECT count(*) INTO overdue FROM public.sessions s
        WHERE s.expires_at <= v_cutoff - interval '30 days'
           OR (s.revoked_at IS NOT NULL AND s.revoked_at <= v_cutoff - interval '30 days');
        RETURN NEXT;
    END IF;
    IF p_job IS NULL OR p_job = 'mmo-archive-characters' THEN
        job_name := 'mmo-archive-characters'; table_name := 'characters'; backlog := 'characters deleted over 90 days ago not archived';
        overdue := maint.archivable_characters(interval '90 days' + p_grace);
        RETURN NEXT;
    END IF;
END
$$;

COMMENT ON FUNCTION "maint"."job_status"() IS 'Every job of maint.cron_jobs with its last run (maint.job_runs); status never | running | interrupted | succeeded | failed.';
COMMENT ON FUNCTION "maint"."counter_drift"() IS 'Rows whose users.character_count / guilds.member_count differ from the data (read only; fix: maint.recount_denormalized_counters()).';
COMMENT ON FUNCTION "maint"."archivable_characters"(interval) IS 'Characters maint.archive_deleted_characters(p_older_than) would archive.';
COMMENT ON FUNCTION "maint"."expiry_backlog"(text, interval) IS 'Rows past their expiry job''s limit by more than p_grace, per job and check (read only).';

-- The roles migration made mmo_migrator the owner of schema maint's objects: these join them.
DO $$
DECLARE
    v_obj text;
BEGIN
    IF current_user = 'mmo_migrator' OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mmo_migrator') THEN
        RETURN;
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'mmo_migrator', 'MEMBER') THEN
        RAISE NOTICE 'maint.job_runs and its functions stay owned by "%": only a superuser or a member of mmo_migrator can hand them to mmo_migrator', current_user;
        RETURN;
    END IF;
    ALTER TABLE "maint"."job_runs" OWNER TO mmo_migrator;
    ALTER PROCEDURE "maint"."run_job"(text, timestamptz, text, text) OWNER TO mmo_migrator;
    FOREACH v_obj IN ARRAY ARRAY['maint.cron_command(text)', 'maint.job_status()', 'maint.counter_drift()',
                                 'maint.archivable_characters(interval)', 'maint.expiry_backlog(text, interval)'] LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO mmo_migrator', v_obj::regprocedure);
    END LOOP;
END
$$;

-- pg_cron: the jobs already scheduled in this database now call maint.run_job.
DO $$
DECLARE
    v_cron_db   text := current_setting('cron.database_name', true);
    v_preloaded boolean;
    v_job       record;
    v_count     integer := 0;
BEGIN
    SELECT EXISTS (
        SELECT 1
        FROM unnest(string_to_array(coalesce(current_setting('shared_preload_libraries', true), ''), ',')) AS l(lib)
        WHERE regexp_replace(btrim(l.lib, ' "'), '^\$libdir/', '') = 'pg_cron'
    ) INTO v_preloaded;

    IF NOT v_preloaded OR v_cron_db IS NULL OR v_cron_db <> current_database()
       OR NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE NOTICE 'pg_cron jobs not rescheduled here: database "%" is not the pg_cron database (pg_cron preloaded: %, cron.database_name: %); run the CLI "cron install" so pg_cron calls maint.run_job',
            current_database(), v_preloaded, coalesce(v_cron_db, '(unset)');
        RETURN;
    END IF;

    BEGIN
        FOR v_job IN EXECUTE
            'SELECT j.jobid, c.job_name FROM cron.job j JOIN maint.cron_jobs c ON c.job_name = j.jobname
             WHERE j.database = current_database() ORDER BY c.job_name'
        LOOP
            -- alter_job keeps the job's id, schedule and active flag; only the command changes.
            EXECUTE 'SELECT cron.alter_job(job_id => $1, command => $2)' USING v_job.jobid, maint.cron_command(v_job.job_name);
            v_count := v_count + 1;
        END LOOP;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_cron jobs not rescheduled: role "%" may not alter them (%); run the CLI "cron install" as a privileged role',
            current_user, SQLERRM;
        RETURN;
    END;
    RAISE NOTICE 'pg_cron: % job(s) of database "%" now call maint.run_job', v_count, current_database();
END
$$;

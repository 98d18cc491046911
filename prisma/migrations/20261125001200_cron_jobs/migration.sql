-- pg_cron schedules for the maintenance functions.
-- maint.cron_jobs is the single source of truth: this migration schedules from it when it runs in
-- the pg_cron database, and the CLI ("cron install") reads it to schedule the same jobs from the
-- cron database (cron.schedule_in_database) when the application database is another one.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "maint"."cron_jobs" (
    "job_name"    TEXT    NOT NULL,
    "schedule"    TEXT    NOT NULL,
    "command"     TEXT    NOT NULL,
    "description" TEXT    NOT NULL,
    "enabled"     BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "cron_jobs_pkey" PRIMARY KEY ("job_name"),
    CONSTRAINT "cron_jobs_job_name_check" CHECK ("job_name" ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    -- Five-field cron syntax (pg_cron 1.4 also accepts '[1-59] seconds', not used here).
    CONSTRAINT "cron_jobs_schedule_check" CHECK ("schedule" ~ '^\S+\s+\S+\s+\S+\s+\S+\s+\S+$')
);
COMMENT ON TABLE "maint"."cron_jobs" IS
    'pg_cron jobs of this database (job name, cron schedule, SQL command). Read by the CLI "cron install"; scheduled by migration 20261125001200_cron_jobs when this is the cron database.';

INSERT INTO "maint"."cron_jobs" ("job_name", "schedule", "command", "description") VALUES
    ('mmo-ensure-partitions',   '7 * * * *',    'SELECT count(*) FROM maint.ensure_partitions()',
     'Hourly: create partitions for the premake window; move rows out of DEFAULT partitions.'),
    ('mmo-prune-partitions',    '37 3 * * *',   'SELECT count(*) FROM maint.prune_partitions()',
     'Daily 03:37: drop/detach partitions wholly past retention.'),
    ('mmo-expire-effects',      '* * * * *',    'SELECT maint.expire_character_effects()',
     'Every minute: delete expired buffs/debuffs.'),
    ('mmo-expire-world-state',  '* * * * *',    'SELECT maint.expire_world_state()',
     'Every minute: delete expired world state.'),
    ('mmo-expire-presence',     '* * * * *',    'SELECT * FROM maint.expire_player_presence()',
     'Every minute: drop presence without heartbeat for 5 minutes; mark those characters offline.'),
    ('mmo-expire-mail',         '*/15 * * * *', 'SELECT * FROM maint.expire_mail()',
     'Every 15 minutes: soft-delete expired mail; purge it 30 days later.'),
    ('mmo-purge-sessions',      '17 4 * * *',   'SELECT maint.purge_sessions()',
     'Daily 04:17: delete sessions expired or revoked more than 30 days ago.'),
    ('mmo-refresh-rankings',    '*/5 * * * *',  'SELECT count(*) FROM maint.refresh_rankings()',
     'Every 5 minutes: refresh guild_rankings and character_leaderboard concurrently.'),
    ('mmo-archive-characters',  '*/10 * * * *', 'SELECT maint.archive_deleted_characters()',
     'Every 10 minutes: archive up to 1000 characters soft-deleted more than 90 days ago.');

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

    IF NOT v_preloaded OR v_cron_db IS NULL OR v_cron_db <> current_database() THEN
        RAISE NOTICE 'pg_cron jobs not scheduled: database "%" is not the pg_cron database (pg_cron preloaded: %, cron.database_name: %); run the CLI "cron install" to schedule maint.cron_jobs from the cron database',
            current_database(), v_preloaded, coalesce(v_cron_db, '(unset)');
        RETURN;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE NOTICE 'pg_cron jobs not scheduled: extension pg_cron is not installed in "%" and only a superuser can create it; run the CLI "cron install" as a superuser',
                current_database();
            RETURN;
        END IF;
        CREATE EXTENSION IF NOT EXISTS pg_cron;
    END IF;

    BEGIN
        FOR v_job IN SELECT * FROM maint.cron_jobs WHERE enabled ORDER BY job_name LOOP
            -- cron.schedule(name, ...) replaces the job of the same name and user: idempotent.
            EXECUTE 'SELECT cron.schedule($1, $2, $3)' USING v_job.job_name, v_job.schedule, v_job.command;
            v_count := v_count + 1;
        END LOOP;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'pg_cron jobs not scheduled: role "%" may not use pg_cron (%); run the CLI "cron install" as a privileged role',
            current_user, SQLERRM;
        RETURN;
    END;
    RAISE NOTICE 'pg_cron: scheduled % maintenance jobs in database "%"', v_count, current_database();
END
$$;

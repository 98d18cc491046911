-- Rollback of 20261201000100_maintenance_job_runs
-- Data loss: the run history of every maintenance job (maint.job_runs: last start, finish, status, result, error, run and failure counts). pg_cron jobs of this database get their raw commands back; jobs scheduled for it from another cron database still call maint.run_job until `mmo cron install` is run again.
DO $$
DECLARE
    v_job   record;
    v_count integer := 0;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        FOR v_job IN EXECUTE
            'SELECT j.jobid, c.command FROM cron.job j JOIN maint.cron_jobs c ON c.job_name = j.jobname
             WHERE j.database = current_database() AND j.command = maint.cron_command(c.job_name)
             ORDER BY c.job_name'
        LOOP
            EXECUTE 'SELECT cron.alter_job(job_id => $1, command => $2)' USING v_job.jobid, v_job.command;
            v_count := v_count + 1;
        END LOOP;
        RAISE NOTICE 'pg_cron: % job(s) of database "%" run their raw commands again', v_count, current_database();
    ELSIF current_setting('cron.database_name', true) IS NOT NULL THEN
        RAISE NOTICE 'jobs scheduled for database "%" from the pg_cron database "%" still call maint.run_job: run the CLI "cron install" to give them their raw commands',
            current_database(), current_setting('cron.database_name', true);
    END IF;
END
$$;
DROP FUNCTION "maint"."expiry_backlog"(text, interval);
DROP FUNCTION "maint"."archivable_characters"(interval);
DROP FUNCTION "maint"."counter_drift"();
DROP FUNCTION "maint"."job_status"();
DROP PROCEDURE "maint"."run_job"(text, timestamptz, text, text);
DROP FUNCTION "maint"."cron_command"(text);
DROP TABLE "maint"."job_runs";

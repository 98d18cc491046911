-- Rollback of 20261125001200_cron_jobs
-- Data loss: the job definitions in maint.cron_jobs; the pg_cron jobs of those names for this database are unscheduled (their past runs stay in cron.job_run_details). The pg_cron extension itself is left installed.
DO $$
DECLARE
    v_jobid bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        FOR v_jobid IN EXECUTE
            'SELECT j.jobid FROM cron.job j
             WHERE j.database = current_database()
               AND j.jobname IN (SELECT c.job_name FROM maint.cron_jobs c)'
        LOOP
            EXECUTE 'SELECT cron.unschedule($1)' USING v_jobid;
        END LOOP;
    END IF;
END
$$;
DROP TABLE "maint"."cron_jobs";

-- Database roles (NOLOGIN group roles; operators create LOGIN users that are members):
--   mmo_migrator  owns the schema objects (tables, views, functions, schemas maint and
--                 partition_archive) and may create in schema public. Migrations, the CLI and
--                 pg_cron jobs run as it (or as a superuser).
--   mmo_app       the game servers: SELECT/INSERT/UPDATE/DELETE on the game tables, INSERT only on
--                 audit_log, SELECT only on characters_archive and the ranking views; no access to
--                 schema maint (triggers still fire; maintenance runs as mmo_migrator / pg_cron).
--   mmo_readonly  SELECT on every table and view in schema public.
-- Roles are cluster-wide and shared by every database of the cluster (e.g. many test databases
-- cloned from one template): they are created only when missing, and never altered here.

-- lock-impact-waiver: handing every table and partition to mmo_migrator (ALTER ... OWNER) takes an
-- ACCESS EXCLUSIVE lock on each until this migration commits (about 0.3 s for audit_log's writers at
-- the staging profile). It runs once, when a database is installed, before any game server connects.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['mmo_migrator', 'mmo_app', 'mmo_readonly'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- created concurrently by a migration running in another database
            END;
        END IF;
    END LOOP;
END
$$;

-- (Re)apply the privilege matrix to every table and view in schema public. Idempotent. A later
-- migration that adds a table calls it to grant the roles their access.
CREATE FUNCTION "maint"."apply_role_grants"()
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

COMMENT ON FUNCTION "maint"."apply_role_grants"() IS
    'Grant mmo_app / mmo_readonly / mmo_migrator their privileges on every table and view in schema public. Idempotent.';

-- mmo_migrator takes ownership of what the migrations created (objects owned by the role running
-- them; extension members and Prisma's own _prisma_migrations table excluded). Needs a superuser or
-- a member of mmo_migrator; otherwise ownership is left as is, with a NOTICE.
DO $$
DECLARE
    v_obj record;
BEGIN
    IF current_user = 'mmo_migrator' THEN
        RETURN;
    END IF;
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
       AND NOT pg_has_role(current_user, 'mmo_migrator', 'MEMBER') THEN
        RAISE NOTICE 'objects stay owned by "%": only a superuser or a member of mmo_migrator can hand them to mmo_migrator', current_user;
        RETURN;
    END IF;

    FOR v_obj IN
        SELECT n.nspname
        FROM pg_namespace n
        WHERE n.nspname IN ('maint', 'partition_archive') AND n.nspowner = current_user::regrole
    LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO mmo_migrator', v_obj.nspname);
    END LOOP;

    FOR v_obj IN
        SELECT n.nspname, c.relname,
               CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                              WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('public', 'maint', 'partition_archive')
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
          AND c.relowner = current_user::regrole
          AND c.relname <> '_prisma_migrations'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ORDER BY c.relispartition, c.oid
    LOOP
        EXECUTE format('ALTER %s %I.%I OWNER TO mmo_migrator', v_obj.kind, v_obj.nspname, v_obj.relname);
    END LOOP;

    FOR v_obj IN
        SELECT p.oid::regprocedure AS sig, p.prokind
        FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname IN ('public', 'maint')
          AND p.proowner = current_user::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO mmo_migrator',
                       CASE v_obj.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, v_obj.sig);
    END LOOP;
END
$$;

DO $$ BEGIN PERFORM maint.apply_role_grants(); END $$;

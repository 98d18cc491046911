-- Rollback of 20261125001300_roles
-- Data loss: none (privileges are revoked in this database and ownership returns to the role running the rollback; the roles are dropped only when no database of the cluster still uses them and they have no members).
DO $$
DECLARE
    v_obj  record;
BEGIN
    -- 1. Ownership back to the role running the rollback.
    IF current_user <> 'mmo_migrator' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mmo_migrator') THEN
        FOR v_obj IN
            SELECT n.nspname
            FROM pg_namespace n
            WHERE n.nspname IN ('maint', 'partition_archive') AND n.nspowner = 'mmo_migrator'::regrole
        LOOP
            EXECUTE format('ALTER SCHEMA %I OWNER TO %I', v_obj.nspname, current_user);
        END LOOP;
        FOR v_obj IN
            SELECT n.nspname, c.relname,
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                  WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END AS kind
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname IN ('public', 'maint', 'partition_archive')
              AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND c.relowner = 'mmo_migrator'::regrole
            ORDER BY c.relispartition, c.oid
        LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO %I', v_obj.kind, v_obj.nspname, v_obj.relname, current_user);
        END LOOP;
        FOR v_obj IN
            SELECT p.oid::regprocedure AS sig, p.prokind
            FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname IN ('public', 'maint') AND p.proowner = 'mmo_migrator'::regrole
        LOOP
            EXECUTE format('ALTER %s %s OWNER TO %I',
                           CASE v_obj.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END, v_obj.sig, current_user);
        END LOOP;
    END IF;

    -- 2. Privileges of the three roles on everything in this database's schemas.
    FOR v_obj IN
        SELECT DISTINCT n.nspname, c.relname, a.grantee::regrole AS grantee,
               CASE WHEN c.relkind = 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN LATERAL aclexplode(c.relacl) a
        WHERE n.nspname IN ('public', 'maint', 'partition_archive')
          AND a.grantee IN (SELECT r.oid FROM pg_roles r WHERE r.rolname IN ('mmo_app', 'mmo_readonly', 'mmo_migrator'))
          AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON %s %I.%I FROM %s',
                       v_obj.kind, v_obj.nspname, v_obj.relname, v_obj.grantee);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mmo_migrator') THEN
        REVOKE ALL ON SCHEMA public FROM mmo_app, mmo_readonly, mmo_migrator;
    END IF;

END
$$;

DROP FUNCTION "maint"."apply_role_grants"();

-- 3. Drop each role only if nothing in any database of the cluster depends on it (pg_shdepend is
--    cluster-wide: owned objects, privileges, default privileges) and no user is a member of it.
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['mmo_readonly', 'mmo_app', 'mmo_migrator'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role);
        IF EXISTS (SELECT 1 FROM pg_shdepend d WHERE d.refclassid = 'pg_authid'::regclass
                                                  AND d.refobjid = v_role::regrole)
           OR EXISTS (SELECT 1 FROM pg_auth_members m WHERE m.roleid = v_role::regrole) THEN
            RAISE NOTICE 'role % kept: still used by a database of this cluster or has members', v_role;
            CONTINUE;
        END IF;
        BEGIN
            EXECUTE format('DROP ROLE %I', v_role);
        EXCEPTION WHEN dependent_objects_still_exist OR insufficient_privilege OR object_in_use THEN
            RAISE NOTICE 'role % kept: %', v_role, SQLERRM;
        END;
    END LOOP;
END
$$;

-- Expiry of transient rows. Every function works in bounded batches (call again while it reports a
-- full batch), uses FOR UPDATE SKIP LOCKED so it never waits on rows the game is changing right
-- now, and is idempotent.
--
-- Semantics:
--   character_effects  expires_at <= now()                    -> deleted
--   world_state        expires_at <= now() (NULL = permanent) -> deleted
--   character_mail     expires_at <= now()                    -> soft-deleted (is_deleted = true:
--                      gone for the player, attachments/gold still recoverable by support);
--                      expires_at <= now() - p_purge_after    -> deleted for good
--   player_presence    last_heartbeat older than p_stale_after -> deleted, and the character is set
--                      is_online = false in the same statement; characters flagged online with no
--                      presence row (and not updated for p_stale_after) are set offline as well
--   sessions           expired or revoked more than p_grace ago -> deleted

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION "maint"."expire_character_effects"(p_batch_size integer DEFAULT 10000)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_n integer;
BEGIN
    DELETE FROM public.character_effects e
    WHERE e.id IN (
        SELECT x.id FROM public.character_effects x
        WHERE x.expires_at <= now()
        ORDER BY x.expires_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

CREATE FUNCTION "maint"."expire_world_state"(p_batch_size integer DEFAULT 10000)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_n integer;
BEGIN
    DELETE FROM public.world_state w
    WHERE w.id IN (
        SELECT x.id FROM public.world_state x
        WHERE x.expires_at IS NOT NULL AND x.expires_at <= now()
        ORDER BY x.expires_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

CREATE FUNCTION "maint"."expire_mail"(
    p_purge_after interval DEFAULT interval '30 days',
    p_batch_size  integer  DEFAULT 10000
)
RETURNS TABLE (soft_deleted integer, purged integer)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
    IF p_purge_after IS NULL OR p_purge_after < interval '0' THEN
        RAISE EXCEPTION 'p_purge_after must be a non-negative interval, got %', p_purge_after
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    UPDATE public.character_mail m
    SET is_deleted = true
    WHERE m.id IN (
        SELECT x.id FROM public.character_mail x
        WHERE x.expires_at IS NOT NULL AND x.expires_at <= now() AND NOT x.is_deleted
        ORDER BY x.expires_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS soft_deleted = ROW_COUNT;

    DELETE FROM public.character_mail m
    WHERE m.id IN (
        SELECT x.id FROM public.character_mail x
        WHERE x.expires_at IS NOT NULL AND x.expires_at <= now() - p_purge_after AND x.is_deleted
        ORDER BY x.expires_at
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS purged = ROW_COUNT;

    RETURN NEXT;
END
$$;

CREATE FUNCTION "maint"."expire_player_presence"(p_stale_after interval DEFAULT interval '5 minutes')
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

CREATE FUNCTION "maint"."purge_sessions"(
    p_grace      interval DEFAULT interval '30 days',
    p_batch_size integer  DEFAULT 10000
)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_n integer;
BEGIN
    IF p_grace IS NULL OR p_grace < interval '0' THEN
        RAISE EXCEPTION 'p_grace must be a non-negative interval, got %', p_grace
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    DELETE FROM public.sessions s
    WHERE s.id IN (
        SELECT x.id FROM public.sessions x
        WHERE x.expires_at <= now() - p_grace
           OR (x.revoked_at IS NOT NULL AND x.revoked_at <= now() - p_grace)
        LIMIT p_batch_size
        FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-- Everything above with default arguments, one batch each.
CREATE FUNCTION "maint"."run_expiry"()
RETURNS TABLE (task text, affected bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_mail     record;
    v_presence record;
BEGIN
    task := 'character_effects.expired_deleted'; affected := maint.expire_character_effects(); RETURN NEXT;
    task := 'world_state.expired_deleted';       affected := maint.expire_world_state();       RETURN NEXT;
    SELECT * INTO v_mail FROM maint.expire_mail();
    task := 'character_mail.soft_deleted';       affected := v_mail.soft_deleted;              RETURN NEXT;
    task := 'character_mail.purged';             affected := v_mail.purged;                    RETURN NEXT;
    SELECT * INTO v_presence FROM maint.expire_player_presence();
    task := 'player_presence.removed';           affected := v_presence.presence_removed;      RETURN NEXT;
    task := 'characters.marked_offline';         affected := v_presence.characters_marked_offline; RETURN NEXT;
    task := 'sessions.purged';                   affected := maint.purge_sessions();           RETURN NEXT;
END
$$;

COMMENT ON FUNCTION "maint"."expire_character_effects"(integer) IS 'Delete up to p_batch_size effects past expires_at. Returns rows deleted.';
COMMENT ON FUNCTION "maint"."expire_world_state"(integer) IS 'Delete up to p_batch_size world_state rows past expires_at. Returns rows deleted.';
COMMENT ON FUNCTION "maint"."expire_mail"(interval, integer) IS 'Soft-delete mail past expires_at; hard-delete it p_purge_after later. Returns both counts.';
COMMENT ON FUNCTION "maint"."expire_player_presence"(interval) IS 'Remove presence rows without heartbeat for p_stale_after and mark their characters offline. Returns both counts.';
COMMENT ON FUNCTION "maint"."purge_sessions"(interval, integer) IS 'Delete sessions expired or revoked more than p_grace ago. Returns rows deleted.';
COMMENT ON FUNCTION "maint"."run_expiry"() IS 'One batch of every expiry task with default arguments.';

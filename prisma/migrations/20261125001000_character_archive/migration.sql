-- Archival of soft-deleted characters.
-- Fix to the reference design: characters_archive is NOT created with LIKE ... INCLUDING ALL, which
-- would copy the UNIQUE constraint on name; character names are reused after deletion, so the
-- archive has no uniqueness on name (its primary key is the character id).
--
-- What happens to a character's dependent rows when it is archived (the characters row is deleted,
-- so every ON DELETE CASCADE / SET NULL fires):
--   * snapshotted into characters_archive.snapshot (jsonb) and then deleted by cascade:
--     stats, inventory, abilities, quests, achievements, guild memberships
--   * deleted by cascade without snapshot: active effects, presence, relationships (both
--     directions), mail received by the character (expired or unread mail of a character deleted
--     for 90+ days)
--   * kept: mail the character sent (sender_id becomes NULL, sender_name keeps the name);
--     time-partitioned logs (no foreign keys; they age out with their partitions)
--   * counters: guilds.member_count drops via the guild_members trigger; users.character_count is
--     unchanged (soft-deleted characters were already not counted)

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "characters_archive" (
    "id"           UUID             NOT NULL,
    "user_id"      UUID             NOT NULL,
    "name"         VARCHAR(50)      NOT NULL,
    "class"        VARCHAR(50)      NOT NULL,
    "race"         VARCHAR(50)      NOT NULL,
    "level"        INTEGER          NOT NULL,
    "experience"   BIGINT           NOT NULL,
    "health"       INTEGER          NOT NULL,
    "max_health"   INTEGER          NOT NULL,
    "mana"         INTEGER          NOT NULL,
    "max_mana"     INTEGER          NOT NULL,
    "stamina"      INTEGER          NOT NULL,
    "max_stamina"  INTEGER          NOT NULL,
    "position_x"   DOUBLE PRECISION NOT NULL,
    "position_y"   DOUBLE PRECISION NOT NULL,
    "position_z"   DOUBLE PRECISION NOT NULL,
    "rotation_yaw" DOUBLE PRECISION NOT NULL,
    "zone_id"      INTEGER          NOT NULL,
    "is_online"    BOOLEAN          NOT NULL,
    "last_played"  TIMESTAMPTZ(6)   NOT NULL,
    "play_time"    INTERVAL         NOT NULL,
    "is_deleted"   BOOLEAN          NOT NULL,
    "deleted_at"   TIMESTAMPTZ(6),
    "created_at"   TIMESTAMPTZ(6)   NOT NULL,
    "updated_at"   TIMESTAMPTZ(6)   NOT NULL,
    "archived_at"  TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    -- {"stats": {...}|null, "inventory": [...], "abilities": [...], "quests": [...],
    --  "achievements": [...], "guild_memberships": [...]} as they were when archived.
    "snapshot"     JSONB            NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT "characters_archive_pkey" PRIMARY KEY ("id"),
    -- Hard-deleting a user (e.g. an erasure request) removes their archived characters too.
    CONSTRAINT "characters_archive_user_id_fkey" FOREIGN KEY ("user_id")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION
);

CREATE INDEX "idx_characters_archive_user_id" ON "characters_archive" ("user_id");
CREATE INDEX "idx_characters_archive_archived_at" ON "characters_archive" ("archived_at");
CREATE INDEX "idx_characters_archive_name_lower" ON "characters_archive" (lower("name"));

-- Move ONE bounded batch of characters soft-deleted more than p_older_than ago into the archive.
-- One statement: lock the batch (SKIP LOCKED: rows being changed right now wait for the next run),
-- upsert it into the archive, delete exactly the rows that were archived. It commits or rolls back
-- as a whole, so an interrupted run loses and duplicates nothing; re-running is always safe (a
-- character id already in the archive, e.g. restored and deleted again, is overwritten with its
-- latest state). Returns the number of characters archived; call again until it returns 0.
CREATE FUNCTION "maint"."archive_deleted_characters"(
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

COMMENT ON FUNCTION "maint"."archive_deleted_characters"(interval, integer) IS
    'Move one batch (<= p_batch_size) of characters soft-deleted more than p_older_than ago into characters_archive, exactly once. Returns the number moved.';

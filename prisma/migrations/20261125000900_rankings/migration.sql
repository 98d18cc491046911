-- Leaderboards as materialized views, refreshed by maint.refresh_rankings().
-- Fix to the reference design: REFRESH ... CONCURRENTLY needs a unique index on the view, so each
-- view has one (on its id column).

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE MATERIALIZED VIEW "guild_rankings" AS
SELECT g."id",
       g."name",
       g."tag",
       g."level",
       g."experience",
       g."member_count",
       rank() OVER (ORDER BY g."level" DESC, g."experience" DESC) AS "rank"
FROM "guilds" g
WHERE g."member_count" > 0;

-- Waiver (lint): plain CREATE INDEX, not CONCURRENTLY: the view was created just above in this same
-- transaction, so nothing else can see it, let alone write to it.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX "idx_guild_rankings_id" ON "guild_rankings" ("id");
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX "idx_guild_rankings_rank" ON "guild_rankings" ("rank");

CREATE MATERIALIZED VIEW "character_leaderboard" AS
SELECT c."id",
       c."user_id",
       c."name",
       c."class",
       c."race",
       c."level",
       c."experience",
       rank() OVER (ORDER BY c."level" DESC, c."experience" DESC) AS "rank",
       rank() OVER (PARTITION BY c."class" ORDER BY c."level" DESC, c."experience" DESC) AS "class_rank"
FROM "characters" c
WHERE NOT c."is_deleted";

-- Waiver (lint): plain CREATE INDEX, not CONCURRENTLY: the view was created just above in this same
-- transaction, so nothing else can see it, let alone write to it.
-- squawk-ignore require-concurrent-index-creation
CREATE UNIQUE INDEX "idx_character_leaderboard_id" ON "character_leaderboard" ("id");
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX "idx_character_leaderboard_rank" ON "character_leaderboard" ("rank");
-- squawk-ignore require-concurrent-index-creation
CREATE INDEX "idx_character_leaderboard_class_rank" ON "character_leaderboard" ("class", "class_rank");

-- Refresh the ranking views (p_view = NULL: all of them; otherwise just that one, which must be one
-- of them). CONCURRENTLY (readers never blocked) by default; a view that has never been populated
-- (created WITH NO DATA, or after a restore) cannot be refreshed concurrently, so it gets a plain
-- REFRESH. p_concurrently = false forces plain refreshes.
CREATE FUNCTION "maint"."refresh_rankings"(p_concurrently boolean DEFAULT true, p_view text DEFAULT NULL)
RETURNS TABLE (view_name text, refresh_mode text, duration interval)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    c_views   CONSTANT text[] := ARRAY['guild_rankings', 'character_leaderboard'];
    v_view    text;
    v_started timestamptz;
    v_pop     boolean;
BEGIN
    IF p_view IS NOT NULL AND NOT p_view = ANY (c_views) THEN
        RAISE EXCEPTION 'unknown ranking view "%": maint.refresh_rankings refreshes %', p_view, array_to_string(c_views, ', ')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOREACH v_view IN ARRAY c_views LOOP
        CONTINUE WHEN p_view IS NOT NULL AND v_view <> p_view;
        SELECT m.ispopulated INTO v_pop FROM pg_matviews m
        WHERE m.schemaname = 'public' AND m.matviewname = v_view;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'materialized view public.% does not exist', v_view USING ERRCODE = 'undefined_table';
        END IF;
        v_started := clock_timestamp();
        IF coalesce(p_concurrently, true) AND v_pop THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY public.%I', v_view);
            refresh_mode := 'concurrently';
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW public.%I', v_view);
            refresh_mode := 'plain';
        END IF;
        view_name := v_view;
        duration := clock_timestamp() - v_started;
        RETURN NEXT;
    END LOOP;
END
$$;

COMMENT ON FUNCTION "maint"."refresh_rankings"(boolean, text) IS
    'Refresh public.guild_rankings and public.character_leaderboard, or only p_view (concurrently unless never populated or p_concurrently = false).';

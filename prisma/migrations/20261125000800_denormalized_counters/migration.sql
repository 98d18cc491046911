-- Keep the denormalised counters true:
--   users.character_count = number of the user's characters with is_deleted = false
--   guilds.member_count   = number of guild_members rows of the guild
-- Row-level AFTER triggers apply +1/-1 with UPDATE ... SET x = x + delta, which takes the parent
-- row's lock, so concurrent transactions serialise on that row and never lose an increment.
-- CHECK (member_count <= max_members) makes a join beyond capacity fail, even under concurrency.
-- Then the counters are recomputed from the data (the reference's backfill, fixed).

-- lock-impact-waiver: creating the triggers and recounting every user and guild happen in one
-- transaction so the counters are exact when it commits; writers to characters and guild_members wait
-- for the recount (about 5 s at the staging profile: `mmo migrate lock-impact`). It runs once, when a
-- database is installed, before any game server connects. A change like it on a live database
-- would add the triggers first and recount in batches in a later migration.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE FUNCTION "maint"."characters_maintain_user_count"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_old_user uuid;   -- user that loses a counted character
    v_new_user uuid;   -- user that gains a counted character
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND NOT OLD.is_deleted THEN
        v_old_user := OLD.user_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NOT NEW.is_deleted THEN
        v_new_user := NEW.user_id;
    END IF;

    IF v_old_user IS NOT DISTINCT FROM v_new_user THEN
        RETURN NULL;  -- no change in what is counted
    END IF;
    -- Lock order: lower uuid first, so two transactions moving characters between the same two
    -- users in opposite directions cannot deadlock.
    IF v_old_user IS NOT NULL AND v_new_user IS NOT NULL AND v_new_user < v_old_user THEN
        UPDATE public.users SET character_count = character_count + 1 WHERE id = v_new_user;
        UPDATE public.users SET character_count = character_count - 1 WHERE id = v_old_user;
    ELSE
        IF v_old_user IS NOT NULL THEN
            UPDATE public.users SET character_count = character_count - 1 WHERE id = v_old_user;
        END IF;
        IF v_new_user IS NOT NULL THEN
            UPDATE public.users SET character_count = character_count + 1 WHERE id = v_new_user;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "trg_characters_user_count"
    AFTER INSERT OR DELETE OR UPDATE OF "user_id", "is_deleted" ON "characters"
    FOR EACH ROW EXECUTE FUNCTION "maint"."characters_maintain_user_count"();

CREATE FUNCTION "maint"."guild_members_maintain_member_count"()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.guild_id = NEW.guild_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.guild_id < OLD.guild_id THEN
        UPDATE public.guilds SET member_count = member_count + 1 WHERE id = NEW.guild_id;
        UPDATE public.guilds SET member_count = member_count - 1 WHERE id = OLD.guild_id;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE public.guilds SET member_count = member_count - 1 WHERE id = OLD.guild_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        UPDATE public.guilds SET member_count = member_count + 1 WHERE id = NEW.guild_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "trg_guild_members_member_count"
    AFTER INSERT OR DELETE OR UPDATE OF "guild_id" ON "guild_members"
    FOR EACH ROW EXECUTE FUNCTION "maint"."guild_members_maintain_member_count"();

-- Recompute both counters from the data. Callable any time (e.g. after a bulk load with triggers
-- disabled); returns how many rows it corrected. Locks the counted tables against writes meanwhile.
CREATE FUNCTION "maint"."recount_denormalized_counters"()
RETURNS TABLE (counter text, rows_corrected bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_n bigint;
BEGIN
    LOCK TABLE public.characters, public.guild_members IN SHARE MODE;

    UPDATE public.users u
    SET character_count = x.n
    FROM (
        SELECT u2.id,
               (SELECT count(*) FROM public.characters c
                WHERE c.user_id = u2.id AND NOT c.is_deleted)::integer AS n
        FROM public.users u2
    ) x
    WHERE u.id = x.id AND u.character_count <> x.n;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    counter := 'users.character_count'; rows_corrected := v_n; RETURN NEXT;

    -- A guild already holding more members than max_members gets its cap raised to fit,
    -- rather than failing the recount on check_member_count.
    UPDATE public.guilds g
    SET member_count = x.n,
        max_members  = greatest(g.max_members, x.n)
    FROM (
        SELECT g2.id,
               (SELECT count(*) FROM public.guild_members m WHERE m.guild_id = g2.id)::integer AS n
        FROM public.guilds g2
    ) x
    WHERE g.id = x.id AND g.member_count <> x.n;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    counter := 'guilds.member_count'; rows_corrected := v_n; RETURN NEXT;
END
$$;

COMMENT ON FUNCTION "maint"."recount_denormalized_counters"() IS
    'Recompute users.character_count and guilds.member_count from the data; returns rows corrected per counter.';

-- Data migration (backfill): the triggers are in place and this transaction holds the trigger
-- creation locks on characters and guild_members, so no write slips between backfill and triggers.
DO $$ BEGIN PERFORM maint.recount_denormalized_counters(); END $$;

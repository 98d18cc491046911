-- Rollback of 20261125000800_denormalized_counters
-- Data loss: none (users.character_count and guilds.member_count keep their values but are no longer maintained).
DROP TRIGGER "trg_guild_members_member_count" ON "guild_members";
DROP TRIGGER "trg_characters_user_count" ON "characters";
DROP FUNCTION "maint"."recount_denormalized_counters"();
DROP FUNCTION "maint"."guild_members_maintain_member_count"();
DROP FUNCTION "maint"."characters_maintain_user_count"();

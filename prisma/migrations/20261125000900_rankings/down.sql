-- Rollback of 20261125000900_rankings
-- Data loss: none (the ranking views hold only data derived from guilds and characters).
DROP FUNCTION "maint"."refresh_rankings"(boolean, text);
DROP MATERIALIZED VIEW "character_leaderboard";
DROP MATERIALIZED VIEW "guild_rankings";

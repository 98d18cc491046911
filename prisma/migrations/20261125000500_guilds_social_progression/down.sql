-- Rollback of 20261125000500_guilds_social_progression
-- Data loss: all guilds, guild memberships, quest progress, achievements, relationships and mail.
DROP TABLE "character_mail";
DROP TABLE "character_relationships";
DROP TABLE "character_achievements";
DROP TABLE "character_quests";
DROP TABLE "guild_members";
DROP TABLE "guilds";

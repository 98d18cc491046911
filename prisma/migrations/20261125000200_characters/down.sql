-- Rollback of 20261125000200_characters
-- Data loss: all characters, character stats and inventories.
DROP TABLE "character_inventory";
DROP TABLE "character_stats";
DROP TABLE "characters";

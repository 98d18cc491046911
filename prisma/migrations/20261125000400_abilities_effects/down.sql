-- Rollback of 20261125000400_abilities_effects
-- Data loss: all character_abilities and character_effects rows.
DROP TABLE "character_effects";
DROP TABLE "character_abilities";

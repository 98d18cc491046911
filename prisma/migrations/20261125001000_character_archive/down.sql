-- Rollback of 20261125001000_character_archive
-- Data loss: every archived character (all rows of characters_archive, including their jsonb snapshots). Archived characters are not restored into characters.
DROP FUNCTION "maint"."archive_deleted_characters"(interval, integer);
DROP TABLE "characters_archive";

-- Rollback of 20261125001100_expiry_functions
-- Data loss: none (only functions are removed; rows they already expired are not restored).
DROP FUNCTION "maint"."run_expiry"();
DROP FUNCTION "maint"."purge_sessions"(interval, integer);
DROP FUNCTION "maint"."expire_player_presence"(interval);
DROP FUNCTION "maint"."expire_mail"(interval, integer);
DROP FUNCTION "maint"."expire_world_state"(integer);
DROP FUNCTION "maint"."expire_character_effects"(integer);

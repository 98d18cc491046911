-- Rollback of 20261125000300_presence_world_state
-- Data loss: all player_presence and world_state rows (transient connection and world state).
DROP TABLE "world_state";
DROP TABLE "player_presence";

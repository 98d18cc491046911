-- Rollback of 20261125000100_auth_users_sessions
-- Data loss: all users and sessions (every row of "users" and "sessions").
DROP TABLE "sessions";
DROP TABLE "users";

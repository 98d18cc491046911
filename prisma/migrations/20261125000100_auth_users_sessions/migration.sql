-- Authentication (phase 1): users and their login sessions.
-- The reference design references users/sessions but never defines them; this is the design.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "users" (
    "id"              UUID         NOT NULL DEFAULT gen_random_uuid(),
    "email"           VARCHAR(255) NOT NULL,
    "password_hash"   TEXT         NOT NULL,
    "status"          VARCHAR(20)  NOT NULL DEFAULT 'active',
    "created_at"      TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updated_at"      TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "last_login_at"   TIMESTAMPTZ(6),
    -- Denormalised: number of non-deleted characters. Kept true by a trigger (migration 0800).
    "character_count" INTEGER      NOT NULL DEFAULT 0,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "check_users_status" CHECK ("status" IN ('active', 'suspended', 'banned', 'deleted')),
    CONSTRAINT "check_users_character_count" CHECK ("character_count" >= 0),
    CONSTRAINT "check_users_email_not_blank" CHECK (length(btrim("email")) > 0)
);

-- E-mail addresses are unique case-insensitively.
CREATE UNIQUE INDEX "idx_users_email_lower" ON "users" (lower("email"));

CREATE TABLE "sessions" (
    "id"           UUID           NOT NULL DEFAULT gen_random_uuid(),
    "user_id"      UUID           NOT NULL,
    -- Only a hash of the bearer token is stored (e.g. SHA-256 of the token bytes).
    "token_hash"   BYTEA          NOT NULL,
    "created_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "expires_at"   TIMESTAMPTZ(6) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "ip_address"   INET,
    "user_agent"   TEXT,
    "revoked_at"   TIMESTAMPTZ(6),
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sessions_token_hash_key" UNIQUE ("token_hash"),
    CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_sessions_expiry" CHECK ("expires_at" > "created_at")
);

-- FK lookups (cascading deletes from users) and "all sessions of a user".
CREATE INDEX "idx_sessions_user_id" ON "sessions" ("user_id");
-- Expired-session purge.
CREATE INDEX "idx_sessions_expires_at" ON "sessions" ("expires_at");
-- Active (not revoked) sessions of a user; expiry is checked against now() at query time.
CREATE INDEX "idx_sessions_active" ON "sessions" ("user_id", "expires_at") WHERE "revoked_at" IS NULL;

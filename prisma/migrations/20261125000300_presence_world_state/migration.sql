-- Real-time networking (phase 2A): who is connected where, and transient world state.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "player_presence" (
    "character_id"   UUID           NOT NULL,
    "server_id"      VARCHAR(100)   NOT NULL,
    "instance_id"    VARCHAR(100)   NOT NULL,
    "connection_id"  VARCHAR(255)   NOT NULL,
    "ip_address"     INET           NOT NULL,
    "connected_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "last_heartbeat" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "latency_ms"     INTEGER,
    "status"         VARCHAR(50)    NOT NULL DEFAULT 'online',
    CONSTRAINT "player_presence_pkey" PRIMARY KEY ("character_id"),
    CONSTRAINT "player_presence_connection_id_key" UNIQUE ("connection_id"),
    CONSTRAINT "player_presence_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_latency" CHECK ("latency_ms" >= 0),
    CONSTRAINT "check_presence_status" CHECK ("status" IN ('online', 'away', 'busy', 'offline'))
);

CREATE INDEX "idx_presence_server_id" ON "player_presence" ("server_id");
CREATE INDEX "idx_presence_instance_id" ON "player_presence" ("instance_id");
CREATE INDEX "idx_presence_last_heartbeat" ON "player_presence" ("last_heartbeat");

CREATE TABLE "world_state" (
    "id"          UUID           NOT NULL DEFAULT gen_random_uuid(),
    "zone_id"     INTEGER        NOT NULL,
    "instance_id" VARCHAR(100)   NOT NULL,
    -- e.g. 'weather', 'event', 'spawn'; left open so new kinds need no migration.
    "state_type"  VARCHAR(50)    NOT NULL,
    "state_data"  JSONB          NOT NULL,
    "expires_at"  TIMESTAMPTZ(6),
    "created_at"  TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updated_at"  TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "world_state_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "idx_world_state_zone_instance" ON "world_state" ("zone_id", "instance_id");
CREATE INDEX "idx_world_state_type" ON "world_state" ("state_type");
CREATE INDEX "idx_world_state_expires" ON "world_state" ("expires_at") WHERE "expires_at" IS NOT NULL;

-- High-volume, time-partitioned tables (phases 2A, 2B, 4).
-- Fixes to the reference design: every primary key includes the partition key ("timestamp"),
-- each table has a DEFAULT partition so no insert ever fails for lack of a partition, and no date
-- is hard-coded: partitions are created by maint.ensure_partitions relative to now() + premake,
-- according to the policy rows inserted below.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "character_positions" (
    "character_id" UUID             NOT NULL,
    "timestamp"    TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    "position_x"   DOUBLE PRECISION NOT NULL,
    "position_y"   DOUBLE PRECISION NOT NULL,
    "position_z"   DOUBLE PRECISION NOT NULL,
    "rotation_yaw" DOUBLE PRECISION NOT NULL,
    "velocity_x"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "velocity_y"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "velocity_z"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "zone_id"      INTEGER          NOT NULL,
    "instance_id"  VARCHAR(100)     NOT NULL,
    CONSTRAINT "character_positions_pkey" PRIMARY KEY ("character_id", "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE "character_positions_default" PARTITION OF "character_positions" DEFAULT;

CREATE TABLE "combat_log" (
    "id"             UUID           NOT NULL DEFAULT gen_random_uuid(),
    "timestamp"      TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "source_id"      UUID,
    "target_id"      UUID,
    "action_type"    VARCHAR(50)    NOT NULL,
    "action_subtype" VARCHAR(100),
    "amount"         INTEGER,
    "is_critical"    BOOLEAN        NOT NULL DEFAULT false,
    "is_blocked"     BOOLEAN        NOT NULL DEFAULT false,
    "is_dodged"      BOOLEAN        NOT NULL DEFAULT false,
    "zone_id"        INTEGER        NOT NULL,
    "instance_id"    VARCHAR(100)   NOT NULL,
    CONSTRAINT "combat_log_pkey" PRIMARY KEY ("id", "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE "combat_log_default" PARTITION OF "combat_log" DEFAULT;
CREATE INDEX "idx_combat_log_source" ON "combat_log" ("source_id", "timestamp" DESC);
CREATE INDEX "idx_combat_log_target" ON "combat_log" ("target_id", "timestamp" DESC);

CREATE TABLE "analytics_events" (
    "id"           UUID           NOT NULL DEFAULT gen_random_uuid(),
    "event_type"   VARCHAR(100)   NOT NULL,
    "user_id"      UUID,
    "character_id" UUID,
    "session_id"   UUID,
    "event_data"   JSONB          NOT NULL,
    "ip_address"   INET,
    "timestamp"    TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "analytics_events_pkey" PRIMARY KEY ("id", "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE "analytics_events_default" PARTITION OF "analytics_events" DEFAULT;
CREATE INDEX "idx_analytics_events_type" ON "analytics_events" ("event_type", "timestamp" DESC);
CREATE INDEX "idx_analytics_events_user" ON "analytics_events" ("user_id", "timestamp" DESC);

CREATE TABLE "audit_log" (
    "id"            UUID           NOT NULL DEFAULT gen_random_uuid(),
    "timestamp"     TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "user_id"       UUID,
    "character_id"  UUID,
    "action"        VARCHAR(100)   NOT NULL,
    "resource_type" VARCHAR(100)   NOT NULL,
    "resource_id"   VARCHAR(255),
    "old_value"     JSONB,
    "new_value"     JSONB,
    "ip_address"    INET,
    "user_agent"    TEXT,
    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id", "timestamp")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE "audit_log_default" PARTITION OF "audit_log" DEFAULT;
CREATE INDEX "idx_audit_log_user" ON "audit_log" ("user_id", "timestamp" DESC);
CREATE INDEX "idx_audit_log_resource" ON "audit_log" ("resource_type", "resource_id", "timestamp" DESC);

CREATE TABLE "performance_metrics" (
    "timestamp"    TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "server_id"    VARCHAR(100)   NOT NULL,
    "metric_type"  VARCHAR(100)   NOT NULL,
    "metric_value" NUMERIC,
    "tags"         JSONB          NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT "performance_metrics_pkey" PRIMARY KEY ("timestamp", "server_id", "metric_type")
) PARTITION BY RANGE ("timestamp");
CREATE TABLE "performance_metrics_default" PARTITION OF "performance_metrics" DEFAULT;
CREATE INDEX "idx_performance_metrics_server" ON "performance_metrics" ("server_id", "metric_type", "timestamp" DESC);

INSERT INTO "maint"."partition_policy" ("table_name", "granularity", "premake", "retention", "retention_action", "note") VALUES
    ('character_positions', 'day',   7, interval '14 days',  'drop',
     'Movement trail for replay, anti-cheat and support; high volume. Daily partitions, one week ahead, two weeks kept.'),
    ('combat_log',          'month', 3, interval '6 months', 'drop',
     'Reference retention: 6 months.'),
    ('analytics_events',    'month', 3, interval '12 months','drop',
     'Reference retention: 12 months (export to the warehouse before that).'),
    ('audit_log',           'month', 3, interval '7 years',  'detach',
     'Reference retention: 7 years; expired partitions are detached into schema partition_archive, not dropped.'),
    ('performance_metrics', 'month', 3, interval '3 months', 'drop',
     'Operational metrics; long-term trends belong in the monitoring system. 3 months kept.');

-- Partitions for the current period and the premake window, relative to the time of deployment.
DO $$ BEGIN PERFORM maint.ensure_partitions(); END $$;

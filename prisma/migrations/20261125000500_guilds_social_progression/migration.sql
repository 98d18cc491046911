-- Core gameplay (phase 3): guilds, guild membership, quests, achievements, relationships, mail.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "guilds" (
    "id"           UUID           NOT NULL DEFAULT gen_random_uuid(),
    "name"         VARCHAR(100)   NOT NULL,
    "tag"          VARCHAR(10)    NOT NULL,
    "description"  TEXT,
    "level"        INTEGER        NOT NULL DEFAULT 1,
    "experience"   BIGINT         NOT NULL DEFAULT 0,
    -- Denormalised: number of guild_members rows. Kept true by a trigger (migration 0800).
    "member_count" INTEGER        NOT NULL DEFAULT 0,
    "max_members"  INTEGER        NOT NULL DEFAULT 50,
    "bank_gold"    BIGINT         NOT NULL DEFAULT 0,
    -- Founding character; kept as a plain id (no foreign key) so the guild survives its founder's
    -- deletion and archival.
    "created_by"   UUID           NOT NULL,
    "created_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updated_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "guilds_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "guilds_name_key" UNIQUE ("name"),
    CONSTRAINT "guilds_tag_key" UNIQUE ("tag"),
    CONSTRAINT "check_member_count" CHECK ("member_count" >= 0 AND "member_count" <= "max_members"),
    CONSTRAINT "check_guild_max_members" CHECK ("max_members" >= 1),
    CONSTRAINT "check_guild_level" CHECK ("level" >= 1),
    CONSTRAINT "check_guild_experience" CHECK ("experience" >= 0),
    CONSTRAINT "check_guild_bank_gold" CHECK ("bank_gold" >= 0)
);

CREATE TABLE "guild_members" (
    "guild_id"            UUID           NOT NULL,
    "character_id"        UUID           NOT NULL,
    "rank"                VARCHAR(50)    NOT NULL DEFAULT 'member',
    "joined_at"           TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "contribution_points" BIGINT         NOT NULL DEFAULT 0,
    "note"                TEXT,
    CONSTRAINT "guild_members_pkey" PRIMARY KEY ("guild_id", "character_id"),
    CONSTRAINT "guild_members_guild_id_fkey" FOREIGN KEY ("guild_id")
        REFERENCES "guilds" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "guild_members_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_contribution_points" CHECK ("contribution_points" >= 0)
);

-- The primary key leads with guild_id; deleting a character must find its memberships.
CREATE INDEX "idx_guild_members_character_id" ON "guild_members" ("character_id");

CREATE TABLE "character_quests" (
    "character_id"    UUID           NOT NULL,
    "quest_id"        INTEGER        NOT NULL,
    "status"          VARCHAR(50)    NOT NULL DEFAULT 'active',
    "current_stage"   INTEGER        NOT NULL DEFAULT 0,
    "objectives_data" JSONB          NOT NULL DEFAULT '{}'::jsonb,
    "started_at"      TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "completed_at"    TIMESTAMPTZ(6),
    CONSTRAINT "character_quests_pkey" PRIMARY KEY ("character_id", "quest_id"),
    CONSTRAINT "character_quests_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_quest_status" CHECK ("status" IN ('active', 'completed', 'failed', 'abandoned')),
    CONSTRAINT "check_quest_stage" CHECK ("current_stage" >= 0)
);

CREATE TABLE "character_achievements" (
    "character_id"   UUID           NOT NULL,
    "achievement_id" INTEGER        NOT NULL,
    "progress"       INTEGER        NOT NULL DEFAULT 0,
    "completed"      BOOLEAN        NOT NULL DEFAULT false,
    "completed_at"   TIMESTAMPTZ(6),
    CONSTRAINT "character_achievements_pkey" PRIMARY KEY ("character_id", "achievement_id"),
    CONSTRAINT "character_achievements_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_achievement_progress" CHECK ("progress" >= 0)
);

CREATE TABLE "character_relationships" (
    "character_id"         UUID           NOT NULL,
    "related_character_id" UUID           NOT NULL,
    "relationship_type"    VARCHAR(50)    NOT NULL,
    "note"                 TEXT,
    "created_at"           TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "character_relationships_pkey" PRIMARY KEY ("character_id", "related_character_id"),
    CONSTRAINT "character_relationships_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "character_relationships_related_character_id_fkey" FOREIGN KEY ("related_character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_not_self" CHECK ("character_id" <> "related_character_id"),
    CONSTRAINT "check_relationship_type" CHECK ("relationship_type" IN ('friend', 'blocked', 'ignored'))
);

-- "Who has me on their list" and cascading deletes through related_character_id.
CREATE INDEX "idx_relationships_related_character_id" ON "character_relationships" ("related_character_id");

CREATE TABLE "character_mail" (
    "id"            UUID           NOT NULL DEFAULT gen_random_uuid(),
    "recipient_id"  UUID           NOT NULL,
    "sender_id"     UUID,
    "sender_name"   VARCHAR(50)    NOT NULL,
    "subject"       VARCHAR(200)   NOT NULL,
    "body"          TEXT,
    "attachments"   JSONB          NOT NULL DEFAULT '[]'::jsonb,
    "gold_attached" BIGINT         NOT NULL DEFAULT 0,
    "is_read"       BOOLEAN        NOT NULL DEFAULT false,
    "is_deleted"    BOOLEAN        NOT NULL DEFAULT false,
    "expires_at"    TIMESTAMPTZ(6),
    "sent_at"       TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "character_mail_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "character_mail_recipient_id_fkey" FOREIGN KEY ("recipient_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "character_mail_sender_id_fkey" FOREIGN KEY ("sender_id")
        REFERENCES "characters" ("id") ON DELETE SET NULL ON UPDATE NO ACTION,
    CONSTRAINT "check_gold" CHECK ("gold_attached" >= 0)
);

CREATE INDEX "idx_mail_recipient" ON "character_mail" ("recipient_id", "is_deleted", "sent_at" DESC);
CREATE INDEX "idx_mail_expires" ON "character_mail" ("expires_at") WHERE "expires_at" IS NOT NULL;
CREATE INDEX "idx_mail_unread" ON "character_mail" ("recipient_id", "sent_at" DESC)
    WHERE "is_read" = false AND "is_deleted" = false;
-- ON DELETE SET NULL of a sender must find its sent mail.
CREATE INDEX "idx_mail_sender_id" ON "character_mail" ("sender_id") WHERE "sender_id" IS NOT NULL;

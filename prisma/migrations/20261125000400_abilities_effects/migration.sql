-- Combat (phase 2B): learned abilities and active buffs/debuffs.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "character_abilities" (
    "character_id"   UUID           NOT NULL,
    "ability_id"     INTEGER        NOT NULL,
    "level"          INTEGER        NOT NULL DEFAULT 1,
    "experience"     INTEGER        NOT NULL DEFAULT 0,
    "last_used"      TIMESTAMPTZ(6),
    "cooldown_until" TIMESTAMPTZ(6),
    "is_active"      BOOLEAN        NOT NULL DEFAULT true,
    "keybind"        VARCHAR(50),
    CONSTRAINT "character_abilities_pkey" PRIMARY KEY ("character_id", "ability_id"),
    CONSTRAINT "character_abilities_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_ability_level" CHECK ("level" >= 1),
    CONSTRAINT "check_ability_experience" CHECK ("experience" >= 0)
);

CREATE TABLE "character_effects" (
    "id"               UUID           NOT NULL DEFAULT gen_random_uuid(),
    "character_id"     UUID           NOT NULL,
    "effect_id"        INTEGER        NOT NULL,
    -- Who applied the effect (a character or an NPC id): deliberately no foreign key.
    "source_id"        UUID,
    "stacks"           INTEGER        NOT NULL DEFAULT 1,
    "duration_seconds" INTEGER,
    "expires_at"       TIMESTAMPTZ(6) NOT NULL,
    "is_debuff"        BOOLEAN        NOT NULL DEFAULT false,
    "applied_at"       TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "character_effects_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "character_effects_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_effect_stacks" CHECK ("stacks" >= 1),
    CONSTRAINT "check_effect_duration" CHECK ("duration_seconds" IS NULL OR "duration_seconds" >= 0)
);

CREATE INDEX "idx_effects_character_expires" ON "character_effects" ("character_id", "expires_at");
CREATE INDEX "idx_effects_expires" ON "character_effects" ("expires_at");

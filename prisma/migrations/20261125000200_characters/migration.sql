-- Character system (phase 1.5): characters, their stats and their inventory.

-- Fail fast instead of queueing the game's writers behind a lock this migration waits for;
-- SET LOCAL lasts for this migration only (Prisma applies the file as one transaction).
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '5min';

CREATE TABLE "characters" (
    "id"           UUID             NOT NULL DEFAULT gen_random_uuid(),
    "user_id"      UUID             NOT NULL,
    "name"         VARCHAR(50)      NOT NULL,
    "class"        VARCHAR(50)      NOT NULL,
    "race"         VARCHAR(50)      NOT NULL,
    "level"        INTEGER          NOT NULL DEFAULT 1,
    "experience"   BIGINT           NOT NULL DEFAULT 0,
    "health"       INTEGER          NOT NULL DEFAULT 100,
    "max_health"   INTEGER          NOT NULL DEFAULT 100,
    "mana"         INTEGER          NOT NULL DEFAULT 100,
    "max_mana"     INTEGER          NOT NULL DEFAULT 100,
    "stamina"      INTEGER          NOT NULL DEFAULT 100,
    "max_stamina"  INTEGER          NOT NULL DEFAULT 100,
    "position_x"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "position_y"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "position_z"   DOUBLE PRECISION NOT NULL DEFAULT 0,
    "rotation_yaw" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "zone_id"      INTEGER          NOT NULL DEFAULT 1,
    "is_online"    BOOLEAN          NOT NULL DEFAULT false,
    "last_played"  TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    "play_time"    INTERVAL         NOT NULL DEFAULT '00:00:00'::interval,
    "is_deleted"   BOOLEAN          NOT NULL DEFAULT false,
    "deleted_at"   TIMESTAMPTZ(6),
    "created_at"   TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    "updated_at"   TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    CONSTRAINT "characters_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "characters_name_key" UNIQUE ("name"),
    CONSTRAINT "characters_user_id_fkey" FOREIGN KEY ("user_id")
        REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_level" CHECK ("level" >= 1 AND "level" <= 100),
    CONSTRAINT "check_experience" CHECK ("experience" >= 0),
    CONSTRAINT "check_health" CHECK ("health" >= 0 AND "health" <= "max_health"),
    CONSTRAINT "check_mana" CHECK ("mana" >= 0 AND "mana" <= "max_mana"),
    CONSTRAINT "check_stamina" CHECK ("stamina" >= 0 AND "stamina" <= "max_stamina"),
    CONSTRAINT "check_play_time" CHECK ("play_time" >= '00:00:00'::interval),
    -- A soft-deleted character records when it was deleted (archival keys on deleted_at).
    CONSTRAINT "check_deleted_at" CHECK (NOT "is_deleted" OR "deleted_at" IS NOT NULL)
);

CREATE INDEX "idx_characters_user_id" ON "characters" ("user_id");
CREATE INDEX "idx_characters_name_lower" ON "characters" (lower("name"));
CREATE INDEX "idx_characters_is_online" ON "characters" ("is_online") WHERE "is_deleted" = false;
CREATE INDEX "idx_characters_zone_id" ON "characters" ("zone_id") WHERE "is_online" = true;
CREATE INDEX "idx_characters_last_played" ON "characters" ("last_played" DESC);
-- Covering index for the character-select screen (index-only scans).
CREATE INDEX "idx_characters_user_lookup" ON "characters" ("user_id")
    INCLUDE ("id", "name", "level", "class", "is_online") WHERE "is_deleted" = false;
-- Archival scan: soft-deleted characters by deletion time.
CREATE INDEX "idx_characters_deleted_at" ON "characters" ("deleted_at") WHERE "is_deleted" = true;

CREATE TABLE "character_stats" (
    "character_id"    UUID             NOT NULL,
    "strength"        INTEGER          NOT NULL DEFAULT 10,
    "dexterity"       INTEGER          NOT NULL DEFAULT 10,
    "intelligence"    INTEGER          NOT NULL DEFAULT 10,
    "wisdom"          INTEGER          NOT NULL DEFAULT 10,
    "constitution"    INTEGER          NOT NULL DEFAULT 10,
    "charisma"        INTEGER          NOT NULL DEFAULT 10,
    "armor_class"     INTEGER          NOT NULL DEFAULT 10,
    "attack_power"    INTEGER          NOT NULL DEFAULT 10,
    "spell_power"     INTEGER          NOT NULL DEFAULT 10,
    "critical_chance" DOUBLE PRECISION NOT NULL DEFAULT 5.0,
    "critical_damage" DOUBLE PRECISION NOT NULL DEFAULT 150.0,
    "dodge_chance"    DOUBLE PRECISION NOT NULL DEFAULT 5.0,
    "block_chance"    DOUBLE PRECISION NOT NULL DEFAULT 5.0,
    "movement_speed"  DOUBLE PRECISION NOT NULL DEFAULT 100.0,
    "updated_at"      TIMESTAMPTZ(6)   NOT NULL DEFAULT now(),
    CONSTRAINT "character_stats_pkey" PRIMARY KEY ("character_id"),
    CONSTRAINT "character_stats_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_stats_non_negative" CHECK (
        "strength" >= 0 AND "dexterity" >= 0 AND "intelligence" >= 0 AND "wisdom" >= 0
        AND "constitution" >= 0 AND "charisma" >= 0 AND "armor_class" >= 0
        AND "attack_power" >= 0 AND "spell_power" >= 0),
    CONSTRAINT "check_stats_chances" CHECK (
        "critical_chance" BETWEEN 0 AND 100 AND "dodge_chance" BETWEEN 0 AND 100
        AND "block_chance" BETWEEN 0 AND 100),
    CONSTRAINT "check_stats_multipliers" CHECK ("critical_damage" >= 0 AND "movement_speed" >= 0)
);

CREATE TABLE "character_inventory" (
    "id"           UUID           NOT NULL DEFAULT gen_random_uuid(),
    "character_id" UUID           NOT NULL,
    "slot_type"    VARCHAR(50)    NOT NULL,
    "slot_number"  INTEGER        NOT NULL,
    "item_id"      INTEGER        NOT NULL,
    "quantity"     INTEGER        NOT NULL DEFAULT 1,
    "durability"   INTEGER,
    "enchantments" JSONB,
    "created_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updated_at"   TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "character_inventory_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "character_inventory_character_id_slot_type_slot_number_key"
        UNIQUE ("character_id", "slot_type", "slot_number"),
    CONSTRAINT "character_inventory_character_id_fkey" FOREIGN KEY ("character_id")
        REFERENCES "characters" ("id") ON DELETE CASCADE ON UPDATE NO ACTION,
    CONSTRAINT "check_quantity" CHECK ("quantity" > 0),
    CONSTRAINT "check_slot_number" CHECK ("slot_number" >= 0),
    CONSTRAINT "check_slot_type" CHECK ("slot_type" IN ('bag', 'equipment', 'bank')),
    CONSTRAINT "check_durability" CHECK ("durability" IS NULL OR "durability" >= 0)
);

CREATE INDEX "idx_inventory_character_id" ON "character_inventory" ("character_id");
CREATE INDEX "idx_inventory_item_id" ON "character_inventory" ("item_id");

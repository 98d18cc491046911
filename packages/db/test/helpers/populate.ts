import type pg from "pg";

/**
 * A few rows in every game table, time series spread over past, present and future (so some land
 * in DEFAULT partitions). Plain SQL on purpose: packages/db tests cannot use @mmo/seed, which
 * depends on this package. Idempotent per database only in the sense that it always adds.
 */
export async function populate(pool: pg.Pool): Promise<void> {
  await pool.query(`
    INSERT INTO users (email, password_hash)
      SELECT format('player%s@example.com', g), 'argon2id$v=19$fixture' FROM generate_series(1, 20) g;
    INSERT INTO sessions (user_id, token_hash, expires_at, ip_address)
      SELECT id, sha256(convert_to(email, 'UTF8')), now() + interval '1 day', '10.0.0.1' FROM users;
    INSERT INTO characters (user_id, name, class, race, level, zone_id)
      SELECT u.id, format('hero_%s_%s', row_number() OVER (), k), (ARRAY['warrior','mage','rogue'])[k], 'human', 1 + (k * 7) % 100, k
      FROM users u CROSS JOIN generate_series(1, 3) k;
    INSERT INTO character_stats (character_id) SELECT id FROM characters;
    INSERT INTO character_inventory (character_id, slot_type, slot_number, item_id)
      SELECT c.id, 'bag', s, 1000 + s FROM characters c CROSS JOIN generate_series(0, 4) s;
    INSERT INTO player_presence (character_id, server_id, instance_id, connection_id, ip_address)
      SELECT id, 'eu-1', 'zone-1', 'conn-' || id, '10.0.0.2' FROM characters LIMIT 3;
    INSERT INTO world_state (zone_id, instance_id, state_type, state_data, expires_at)
      VALUES (1, 'zone-1', 'weather', '{"kind": "rain"}', now() + interval '1 hour');
    INSERT INTO character_abilities (character_id, ability_id) SELECT id, 1 FROM characters;
    INSERT INTO character_effects (character_id, effect_id, expires_at) SELECT id, 7, now() + interval '10 minutes' FROM characters LIMIT 5;
    INSERT INTO guilds (name, tag, created_by) SELECT 'Guild ' || g, 'G' || g, (SELECT min(id::text)::uuid FROM characters) FROM generate_series(1, 3) g;
    INSERT INTO guild_members (guild_id, character_id)
      SELECT (SELECT id FROM guilds ORDER BY name LIMIT 1), id FROM characters LIMIT 10;
    INSERT INTO character_quests (character_id, quest_id) SELECT id, 42 FROM characters;
    INSERT INTO character_achievements (character_id, achievement_id) SELECT id, 3 FROM characters;
    INSERT INTO character_relationships (character_id, related_character_id, relationship_type)
      SELECT a.id, b.id, 'friend' FROM characters a JOIN characters b ON a.id < b.id LIMIT 15;
    INSERT INTO character_mail (recipient_id, sender_name, subject) SELECT id, 'postmaster', 'welcome' FROM characters;
    INSERT INTO character_positions (character_id, "timestamp", position_x, position_y, position_z, rotation_yaw, zone_id, instance_id)
      SELECT c.id, now() + d * interval '1 day', 1, 2, 3, 0, 1, 'zone-1' FROM characters c CROSS JOIN generate_series(-3, 40, 7) d;
    INSERT INTO combat_log ("timestamp", source_id, target_id, action_type, amount, zone_id, instance_id)
      SELECT now() + m * interval '1 month', c.id, c.id, 'damage', 10, 1, 'zone-1' FROM characters c CROSS JOIN generate_series(-8, 8, 2) m;
    INSERT INTO analytics_events ("timestamp", event_type, event_data) SELECT now() + m * interval '1 month', 'login', '{}' FROM generate_series(-14, 6) m;
    INSERT INTO audit_log ("timestamp", action, resource_type) SELECT now() + m * interval '1 month', 'update', 'character' FROM generate_series(-3, 6) m;
    INSERT INTO performance_metrics ("timestamp", server_id, metric_type, metric_value) SELECT now() + m * interval '1 month', 'eu-1', 'tick_ms', 16 FROM generate_series(-5, 5) m;
  `);
}

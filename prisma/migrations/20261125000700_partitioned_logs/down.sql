-- Rollback of 20261125000700_partitioned_logs
-- Data loss: every row of character_positions, combat_log, analytics_events, audit_log and performance_metrics (all partitions), and their partition policies.
DELETE FROM "maint"."partition_policy"
WHERE "table_name" IN ('character_positions', 'combat_log', 'analytics_events', 'audit_log', 'performance_metrics');
DROP TABLE "performance_metrics";
DROP TABLE "audit_log";
DROP TABLE "analytics_events";
DROP TABLE "combat_log";
DROP TABLE "character_positions";

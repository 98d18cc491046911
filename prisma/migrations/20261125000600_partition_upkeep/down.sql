-- Rollback of 20261125000600_partition_upkeep
-- Data loss: the partition policy rows, and every partition previously detached into schema partition_archive (audit_log by default) with its rows.
DROP FUNCTION "maint"."prune_partitions_dry_run"(text, timestamptz);
DROP FUNCTION "maint"."prune_partitions"(text, timestamptz, boolean);
DROP FUNCTION "maint"."ensure_partitions"(text, timestamptz);
DROP FUNCTION "maint"."plan_partitions"(text, timestamptz);
DROP FUNCTION "maint"."list_partitions"(text);
DROP FUNCTION "maint"."resolve_partitioned_table"(text);
DROP FUNCTION "maint"."bound_literal"(timestamptz);
DROP FUNCTION "maint"."partition_name"(text, text, timestamptz);
DROP FUNCTION "maint"."period_add"(text, timestamptz, integer);
DROP FUNCTION "maint"."period_start"(text, timestamptz);
DROP TABLE "maint"."partition_policy";
DROP SCHEMA "partition_archive" CASCADE;
-- No CASCADE: fails on purpose if anything not created by this migration is left in schema maint.
DROP SCHEMA "maint";

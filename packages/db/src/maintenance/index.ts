export { archiveCharacters, type ArchiveOptions, type ArchiveResult } from "./archive.ts";
export { backupDatabase, manifestPath, restoreDatabase, type BackupManifest, type BackupResult, type RestoreResult } from "./backup.ts";
export { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, partialPath } from "./backup-files.ts";
export { RESTORE_MARKER_PREFIX, restoreMarker } from "./restore-marker.ts";
export { cronFiredBetween, latestFiring, longestGap, validateCronSchedule } from "./cron-schedule.ts";
export {
  cronHistory,
  cronJobName,
  installCronJobs,
  listCronJobs,
  readCronJobDefinitions,
  removeCronJobs,
  resolveCronTarget,
  type CronInstallResult,
  type CronJobDefinition,
  type CronJobStatus,
  type CronRun,
  type CronTarget,
} from "./cron.ts";
export { databaseHealth, healthProblems, type HealthOptions, type HealthReport } from "./health.ts";
export { parseInterval, type ParsedInterval } from "./interval.ts";
export { dueFiring, MAINTAIN_LOCK_CLASS, readJobStatus, runJob, runMaintenance, type JobStatus, type MaintainJobResult, type MaintainOptions } from "./maintain.ts";
export { DEFAULT_READ_LOCK_TIMEOUT_MS, LockTimeoutError, withReadLockTimeout } from "./lock-timeout.ts";
export {
  ensurePartitions,
  findGaps,
  listPartitions,
  prunePartitions,
  type EnsuredPartition,
  type PartitionedTableReport,
  type PartitionGap,
  type PartitionInfo,
  type PlannedPartition,
  type PrunedPartition,
} from "./partitions.ts";
export { findPgTool, type PgTool } from "./pg-tools.ts";
export { slowQueries, type SlowQuery } from "./slow-queries.ts";
export { CHECKS, validateDatabase, type CheckName, type Finding, type ValidateReport } from "./validate.ts";
export { refreshViews, type RefreshedView } from "./views.ts";

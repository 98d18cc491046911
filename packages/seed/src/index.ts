export { PROFILE_NAMES, PROD_VOLUMES, TABLE_NAMES, WINDOW_DAYS, plannedVolumes, type ProfileName, type TableName, type Volumes } from "./profiles.ts";
export { appendSuffix, defaultAnchor, loadSessionSettings, seedDatabase, type SeedOptions, type SeedResult } from "./seed.ts";
export { hasGameData, resetGameData } from "./safety.ts";
export { createProgressReporter, progressLine, type ProgressReporter, type SeedProgress } from "./progress.ts";
export { copyLines, quoteIdent, type CopyOptions } from "./copy.ts";
export { dropIndexesForLoad, rebuildIndexes, type DeferredIndex } from "./deferred-indexes.ts";
export { TABLES, tableSpec, type TableSpec } from "./tables/index.ts";
export { World, type WorldOptions } from "./world.ts";

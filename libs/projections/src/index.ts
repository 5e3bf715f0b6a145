export * from './projections.module.js';
export * from './runner/projection.js';
export * from './runner/checkpoints.js';
export * from './runner/bookkeeping.schema.js';
export * from './runner/batch-step.js';
export * from './runner/projection-runner.js';
export * from './runner/read-model-reader.js';
export * from './runner/query-turns.js';
export {
  liveReadModel,
  MIN_POSITION_WAIT_MS,
  ProjectionNotReady,
  reached,
  type LiveReadModel,
} from './runner/live-slots.js';
export * from './runner/rebuild.js';
export * from './runner/snapshots.js';
export * from './runner/projection-metrics.js';
export * from './read-models/registry.js';
export { volunteerActivityProjection } from './read-models/volunteer-activity/volunteer-activity.projection.js';
export { auditTrailProjection } from './read-models/audit-trail/audit-trail.projection.js';
export {
  CADENCE_TIMEZONE,
  postingCadenceProjection,
} from './read-models/posting-cadence/posting-cadence.projection.js';
export * from './read-models/campaign-progress/campaign-list.query.js';
export * from './read-models/members/member-list.query.js';
export * from './read-models/volunteer-activity/filter-ids.query.js';
export * from './read-models/campaign-progress/campaign-progress.query.js';
export * from './read-models/leaderboards/member-leaderboard.query.js';
export * from './read-models/leaderboards/unit-leaderboard.query.js';
export * from './read-models/unit-rollups/unit-summary.query.js';
export * from './read-models/audit-trail/audit-hours.query.js';
export * from './read-models/audit-trail/audit-export.query.js';
export * from './read-models/audit-trail/audit-export.csv.js';
export * from './read-models/posting-cadence/posting-cadence.query.js';
export * from './read-models/programmes-skills/programmes-skills.query.js';
export { programmesSkillsProjection } from './read-models/programmes-skills/programmes-skills.projection.js';
export * from './cli/read-side.js';
export * from './read-models/period.js';
export * from './read-models/member-names.js';
export * from './runner/projection-status.js';
export * from './demo/synthetic-history.js';
export { SyntheticHistoryDiffers } from './demo/stored-append.js';
export * from './audit-log/audit-log.schema.js';
export * from './audit-log/merkle-tree.store.js';
export * from './audit-log/checkpoints.store.js';
export * from './audit-log/audit-log.runner.js';
export * from './audit-log/audit-log.module.js';
export * from './audit-log/hours-certificate.js';
export * from './audit-log/hours-certificate.builder.js';
export * from './audit-log/log-verifier.js';

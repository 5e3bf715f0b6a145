import { auditTrailEntities } from './audit-trail/audit-trail.entities.js';
import { auditTrailProjection } from './audit-trail/audit-trail.projection.js';
import { CadencePostEntity } from './posting-cadence/posting-cadence.entities.js';
import { postingCadenceProjection } from './posting-cadence/posting-cadence.projection.js';
import { programmesSkillsEntities } from './programmes-skills/programmes-skills.entities.js';
import { programmesSkillsProjection } from './programmes-skills/programmes-skills.projection.js';
import { volunteerActivityEntities } from './volunteer-activity/volunteer-activity.entities.js';
import { volunteerActivityProjection } from './volunteer-activity/volunteer-activity.projection.js';
import { ProjectionCheckpointEntity, ProjectionJobEntity } from '../runner/checkpoint.entities.js';
import type { Projection } from '../runner/projection.js';

/** Every projection the runner drives (where it runs is decided by the module that starts the runner). */
export const projections: readonly Projection[] = [
  volunteerActivityProjection,
  auditTrailProjection,
  postingCadenceProjection,
  programmesSkillsProjection,
];

/** Which projection answers which read (for `minPosition` and the `position` of responses). */
export const READS = {
  campaignProgress: volunteerActivityProjection.name,
  leaderboards: volunteerActivityProjection.name,
  members: volunteerActivityProjection.name,
  unitRollups: volunteerActivityProjection.name,
  auditTrail: auditTrailProjection.name,
  postingCadence: postingCadenceProjection.name,
  programmesSkills: programmesSkillsProjection.name,
} as const;

export const readModelEntities = [
  ProjectionCheckpointEntity,
  ProjectionJobEntity,
  ...volunteerActivityEntities,
  ...auditTrailEntities,
  CadencePostEntity,
  ...programmesSkillsEntities,
];

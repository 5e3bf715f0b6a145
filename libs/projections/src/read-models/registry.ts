import { auditTrailProjection } from './audit-trail/audit-trail.projection.js';
import { postingCadenceProjection } from './posting-cadence/posting-cadence.projection.js';
import { programmesSkillsProjection } from './programmes-skills/programmes-skills.projection.js';
import { volunteerActivityProjection } from './volunteer-activity/volunteer-activity.projection.js';
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

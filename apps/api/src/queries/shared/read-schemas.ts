import type { ApiResponseSchemaHost } from '@nestjs/swagger';

type SchemaObject = ApiResponseSchemaHost['schema'];

/**
 * The shapes of the read routes' answers (API.md "Queries"), for /docs. Written out rather than
 * derived from the query functions' types: TypeScript types vanish at run time, and these are what
 * clients are written against.
 */
export const int: SchemaObject = { type: 'integer' };
export const num: SchemaObject = { type: 'number' };
export const str: SchemaObject = { type: 'string' };
export const date: SchemaObject = { type: 'string', format: 'date' };
export const instant: SchemaObject = { type: 'string', format: 'date-time' };
export const object = (
  properties: Record<string, SchemaObject>,
  required = Object.keys(properties),
) => ({
  type: 'object' as const,
  properties,
  required,
});
export const position: SchemaObject = {
  type: 'integer',
  description: 'the log position these figures reflect (pass it as minPosition)',
};

/** API.md "Snapshots": an answer read with `?snapshot=` names it; a live answer has no such field. */
const snapshot: SchemaObject = {
  description: 'the snapshot the answer comes from (only with ?snapshot=)',
  oneOf: [object({ id: str, toPosition: int }), object({ id: str, toTime: instant })],
};

/** A read model's answer: its fields, the position it reflects and, read from one, its snapshot. */
const answer = (properties: Record<string, SchemaObject>, required = Object.keys(properties)) =>
  object({ ...properties, position, snapshot }, [...required, 'position']);

export const CAMPAIGN_PROGRESS: SchemaObject = answer({
  campaignId: str,
  unitId: {
    type: 'string',
    description:
      'the unit that launched the campaign (beyond API.md: the dashboard shows its figures)',
  },
  name: str,
  timezone: str,
  startDate: date,
  endDate: date,
  dailyWindow: object({ from: str, to: str }),
  closed: { type: 'boolean', description: 'closed early (POST /campaigns/{id}/close)' },
  totals: object({
    citizensAssisted: int,
    volunteerTurns: int,
    distinctVolunteers: int,
    hours: num,
    verifiedHours: num,
  }),
  goals: {
    type: 'object',
    additionalProperties: object({ target: num, reached: num, percent: num }),
  },
  byDay: {
    type: 'array',
    description: 'every day of the campaign, zeros included',
    items: object({ date, citizensAssisted: int, volunteerTurns: int, hours: num }),
  },
  byServiceType: { type: 'object', additionalProperties: int },
  outOfWindow: object({ assistanceEvents: int, citizensAssisted: int, shifts: int }),
});

export const CAMPAIGN_LIST: SchemaObject = answer({
  campaigns: {
    type: 'array',
    items: object({
      campaignId: str,
      unitId: str,
      unitName: { type: 'string', nullable: true },
      name: str,
      startDate: date,
      endDate: date,
      closed: { type: 'boolean' },
    }),
  },
});

const rank: SchemaObject = { type: 'integer', description: 'ties share a rank (1, 2, 2, 4)' };

export const MEMBER_LEADERBOARD: SchemaObject = answer({
  metric: { type: 'string', enum: ['verifiedHours', 'citizensAssisted'] },
  entries: {
    type: 'array',
    items: object({
      rank,
      memberId: str,
      displayName: { type: 'string', nullable: true },
      unitId: str,
      value: num,
    }),
  },
});

export const UNIT_LEADERBOARD: SchemaObject = answer({
  metric: { type: 'string', enum: ['citizensAssisted', 'clubs', 'posts'] },
  entries: { type: 'array', items: object({ rank, unitId: str, name: str, value: num }) },
});

export const UNIT_SUMMARY: SchemaObject = answer({
  unitId: str,
  name: str,
  members: int,
  clubs: int,
  posts: int,
  programmes: int,
  programmeAttendees: object({ members: int, citizens: int }),
  citizensAssisted: int,
  verifiedHours: num,
  subunits: int,
});

export const POSTING_CADENCE: SchemaObject = answer({
  unitId: str,
  timezone: { type: 'string', description: 'the zone days and weeks are counted in' },
  channels: {
    type: 'array',
    items: object({
      channel: str,
      posts: int,
      goodNewsDays: int,
      currentDailyStreak: int,
      longestDailyStreak: int,
      beautifulStoryWeeks: int,
      currentWeeklyStreak: int,
      longestWeeklyStreak: int,
    }),
  },
});

export const DIGITAL_SKILLS: SchemaObject = answer({
  unitId: str,
  members: int,
  skills: {
    type: 'object',
    description: 'Per skill code: members who have it and their share (0–1) of current members.',
    additionalProperties: object({ members: int, share: num }),
  },
});

export const UNIT_PROGRAMMES: SchemaObject = answer(
  {
    programmes: {
      type: 'array',
      items: object({
        programmeId: str,
        unitId: str,
        kind: { type: 'string', enum: ['awareness', 'training', 'contest', 'youth_project'] },
        title: str,
        topic: { type: 'string', nullable: true },
        startsAt: instant,
        attendees: object({ members: int, citizens: int }),
      }),
    },
    totals: object({ programmes: int, members: int, citizens: int }),
    next: { type: 'string', description: 'pass as `after` for the next page; absent on the last' },
  },
  ['programmes', 'totals'],
);

export const AUDIT_HOURS: SchemaObject = answer({
  memberId: str,
  displayName: { type: 'string', nullable: true },
  erased: { type: 'boolean', description: "the member's personal data was erased" },
  from: { type: 'string', nullable: true },
  to: { type: 'string', nullable: true },
  verifiedHours: num,
  pendingHours: num,
  rejectedHours: num,
  shifts: {
    type: 'array',
    items: object({
      shiftId: str,
      campaignId: { type: 'string', nullable: true },
      startedAt: instant,
      endedAt: { type: 'string', format: 'date-time', nullable: true },
      hours: { type: 'number', nullable: true, description: 'null while the shift is open' },
      status: { type: 'string', enum: ['open', 'pending', 'verified', 'rejected'] },
      recordedBy: str,
      recordedAt: instant,
      verifiedBy: { type: 'string', nullable: true },
      verifiedAt: { ...instant, nullable: true },
      rejectedBy: { type: 'string', nullable: true },
      rejectedReason: { type: 'string', nullable: true },
      corrections: {
        type: 'array',
        items: object({ reason: str, by: str, at: instant, before: {}, after: {} }),
      },
      events: {
        type: 'array',
        description: "the shift's events in stream order, with their chain hashes",
        items: object({
          type: str,
          version: { type: 'string', description: 'stream version, in decimal digits' },
          position: { type: 'string', description: 'log position, in decimal digits' },
          hash: str,
          recordedBy: str,
          recordedAt: instant,
        }),
      },
      overdue: { type: 'boolean', description: 'open for longer than a shift may last' },
    }),
  },
});

const envelope = object(
  {
    eventId: str,
    type: str,
    schemaVersion: {
      ...int,
      description: 'the version `data` was stored in (the hashes cover it)',
    },
    currentSchemaVersion: {
      ...int,
      description:
        'the version this server reads the type in: projections, folds and Kafka see `data` upcast to it (absent for an unknown type)',
    },
    streamId: str,
    streamVersion: int,
    globalPosition: int,
    // an object from the API; a script past its gate may have left any JSON value, null included
    // (#domain readableEvent), and the answer carries it as stored: the hashes cover that form
    data: { nullable: true, description: 'as stored: an object, or any JSON value a script left' },
    metadata: { type: 'object' },
    previousHash: { type: 'string', nullable: true },
    hash: str,
  },
  [
    'eventId',
    'type',
    'schemaVersion',
    'streamId',
    'streamVersion',
    'globalPosition',
    'data',
    'metadata',
    'previousHash',
    'hash',
  ],
);

export const AUDIT_STREAM: SchemaObject = object({
  streamId: str,
  events: { type: 'array', items: envelope },
});

export const STREAM_VERIFICATION: SchemaObject = object(
  {
    streamId: str,
    valid: { type: 'boolean' },
    events: int,
    headHash: str,
    firstInvalidVersion: int,
  },
  ['streamId', 'valid', 'events'],
);

export const MEMBER_LIST: SchemaObject = answer(
  {
    members: {
      type: 'array',
      items: object({
        memberId: str,
        displayName: { type: 'string', description: '"(erased)" once erased' },
        unitId: str,
        unitName: { type: 'string', nullable: true },
      }),
    },
    next: { type: 'string', description: 'pass as `after` for the next page; absent on the last' },
  },
  ['members'],
);

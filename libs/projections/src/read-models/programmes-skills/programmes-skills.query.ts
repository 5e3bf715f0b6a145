import { rows, type Sql } from '../../runner/projection.js';
import { UnknownFilterId } from '../volunteer-activity/filter-ids.query.js';

// The subtree of a unit: every unit whose ancestor path holds it (GIN index on ps_units.path).
const tree = (s: string) => `SELECT unit_id FROM ${s}.ps_units WHERE path @> ARRAY[$1::text]`;

export type ProgrammeRollup = {
  programmes: number;
  programmeAttendees: { members: number; citizens: number };
};

/** The unit summary's programme figures over the subtree; null for a unit this model does not know. */
export async function programmeRollup(
  sql: Sql,
  schema: string,
  unitId: string,
): Promise<ProgrammeRollup | null> {
  const [row] = await rows<{
    known: boolean;
    programmes: string;
    members: string;
    citizens: string;
  }>(
    sql,
    `SELECT EXISTS (SELECT 1 FROM ${schema}.ps_units WHERE unit_id = $1) AS known,
       COALESCE(sum(c.programmes), 0) AS programmes, COALESCE(sum(c.attendee_members), 0) AS members,
       COALESCE(sum(c.attendee_citizens), 0) AS citizens
     FROM ${schema}.ps_unit_counts c WHERE c.unit_id IN (${tree(schema)})`,
    [unitId],
  );
  if (!row?.known) return null;
  return {
    programmes: Number(row.programmes),
    programmeAttendees: { members: Number(row.members), citizens: Number(row.citizens) },
  };
}

export type DigitalSkills = {
  unitId: string;
  members: number;
  skills: Record<string, { members: number; share: number }>;
};

/** Members' skills across the subtree, as shares of its current (non-erased) members. */
export async function digitalSkills(
  sql: Sql,
  schema: string,
  unitId: string,
): Promise<DigitalSkills | null> {
  const [head] = await rows<{ known: boolean; members: string }>(
    sql,
    `SELECT EXISTS (SELECT 1 FROM ${schema}.ps_units WHERE unit_id = $1) AS known,
       COALESCE(sum(members), 0) AS members
     FROM ${schema}.ps_unit_counts WHERE unit_id IN (${tree(schema)})`,
    [unitId],
  );
  if (!head?.known) return null;
  const members = Number(head.members);
  const skills: DigitalSkills['skills'] = {};
  for (const row of await rows<{ skill: string; members: string }>(
    sql,
    `SELECT skill, sum(members) AS members FROM ${schema}.ps_unit_skill_counts
     WHERE unit_id IN (${tree(schema)}) GROUP BY skill HAVING sum(members) > 0 ORDER BY skill`,
    [unitId],
  )) {
    const count = Number(row.members);
    skills[row.skill] = { members: count, share: members > 0 ? round(count / members) : 0 };
  }
  return { unitId, members, skills };
}

const round = (share: number) => Math.round(Math.min(1, share) * 10_000) / 10_000;

export type ProgrammeListing = {
  programmes: {
    programmeId: string;
    unitId: string;
    kind: string;
    title: string;
    topic: string | null;
    startsAt: string;
    attendees: { members: number; citizens: number };
  }[];
  totals: { programmes: number; members: number; citizens: number };
  /** The last programme of this page, to pass as `after`; absent on the last page. */
  next?: string;
};

/**
 * The subtree's programmes that start in [from, to), oldest first, with their latest head counts, a
 * page at a time (after the programme `after` names, at most `limit`); the totals count the whole
 * period. The whole list in one answer grew with the history: 20,000 programmes made each answer
 * 15 MB, and fifty concurrent reads held the process long enough for /health to answer 503.
 * Null for an unknown unit; UnknownFilterId (404) for an `after` that names no programme.
 */
export async function unitProgrammes(
  sql: Sql,
  schema: string,
  unitId: string,
  filter: { from?: string; to?: string; kind?: string; limit: number; after?: string },
): Promise<ProgrammeListing | UnknownFilterId | null> {
  const [known] = await rows(sql, `SELECT 1 FROM ${schema}.ps_units WHERE unit_id = $1`, [unitId]);
  if (!known) return null;
  const inPeriod = `FROM ${schema}.ps_programmes p WHERE p.unit_id IN (${tree(schema)})
       AND ($2::timestamptz IS NULL OR p.starts_at >= $2) AND ($3::timestamptz IS NULL OR p.starts_at < $3)
       AND ($4::text IS NULL OR p.kind = $4)`;
  const period = [unitId, filter.from ?? null, filter.to ?? null, filter.kind ?? null];
  const list = await rows<{
    programme_id: string;
    unit_id: string;
    kind: string;
    title: string;
    topic: string | null;
    starts_at: Date;
    members: number;
    citizens: number;
  }>(
    sql,
    `SELECT p.programme_id, p.unit_id, p.kind, p.title, p.topic, p.starts_at, p.members, p.citizens
     ${inPeriod}
       AND ($5::text IS NULL OR (p.starts_at, p.programme_id) >
         (SELECT a.starts_at, a.programme_id FROM ${schema}.ps_programmes a WHERE a.programme_id = $5))
     ORDER BY p.starts_at, p.programme_id LIMIT $6`,
    [...period, filter.after ?? null, filter.limit + 1],
  );
  // An `after` naming no programme finds nothing after it: 404, not an empty page a client following
  // its cursor reads as the end of the list. Looked into only then, as ifFilterIdsKnown does.
  if (!list.length && filter.after !== undefined) {
    const [after] = await rows(
      sql,
      `SELECT 1 FROM ${schema}.ps_programmes WHERE programme_id = $1`,
      [filter.after],
    );
    if (!after)
      return new UnknownFilterId(
        'programme_not_found',
        `after ${filter.after} names no programme (or not projected yet)`,
      );
  }
  const [sums] = await rows<{ programmes: string; members: string; citizens: string }>(
    sql,
    `SELECT count(*) AS programmes, COALESCE(sum(p.members), 0) AS members,
       COALESCE(sum(p.citizens), 0) AS citizens ${inPeriod}`,
    period,
  );
  const programmes = list.slice(0, filter.limit).map((p) => ({
    programmeId: p.programme_id,
    unitId: p.unit_id,
    kind: p.kind,
    title: p.title,
    topic: p.topic,
    startsAt: new Date(p.starts_at).toISOString(),
    attendees: { members: p.members, citizens: p.citizens },
  }));
  const totals = {
    programmes: Number(sums?.programmes ?? 0),
    members: Number(sums?.members ?? 0),
    citizens: Number(sums?.citizens ?? 0),
  };
  return list.length > filter.limit
    ? { programmes, totals, next: programmes.at(-1)!.programmeId }
    : { programmes, totals };
}

import { rows, type Sql } from '../../runner/projection.js';

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
};

/** The subtree's programmes that start in [from, to), oldest first, with their latest head counts. */
export async function unitProgrammes(
  sql: Sql,
  schema: string,
  unitId: string,
  filter: { from?: string; to?: string; kind?: string },
): Promise<ProgrammeListing | null> {
  const [known] = await rows(sql, `SELECT 1 FROM ${schema}.ps_units WHERE unit_id = $1`, [unitId]);
  if (!known) return null;
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
    `SELECT programme_id, unit_id, kind, title, topic, starts_at, members, citizens
     FROM ${schema}.ps_programmes WHERE unit_id IN (${tree(schema)})
       AND ($2::timestamptz IS NULL OR starts_at >= $2) AND ($3::timestamptz IS NULL OR starts_at < $3)
       AND ($4::text IS NULL OR kind = $4)
     ORDER BY starts_at, programme_id`,
    [unitId, filter.from ?? null, filter.to ?? null, filter.kind ?? null],
  );
  const programmes = list.map((p) => ({
    programmeId: p.programme_id,
    unitId: p.unit_id,
    kind: p.kind,
    title: p.title,
    topic: p.topic,
    startsAt: new Date(p.starts_at).toISOString(),
    attendees: { members: p.members, citizens: p.citizens },
  }));
  const totals = { programmes: programmes.length, members: 0, citizens: 0 };
  for (const p of programmes) {
    totals.members += p.attendees.members;
    totals.citizens += p.attendees.citizens;
  }
  return { programmes, totals };
}

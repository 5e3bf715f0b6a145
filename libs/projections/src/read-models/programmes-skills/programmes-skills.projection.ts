import { eventsOf, storedCount, storedInstant, type DomainEventType } from '#domain';
import type { DomainRecordedEvent, RecordedEvent } from '#event-store';
import { ident, rows, type Projection, type Sql } from '../../runner/projection.js';
import {
  createProgrammesSkillsIndexes,
  createProgrammesSkillsTables,
  programmesSkillsTables,
} from './programmes-skills.ddl.js';

type Of<T extends DomainEventType> = DomainRecordedEvent<T>[];
// Typed by the event, read with care all the same: an older gate may have let anything in.
const text = (value: unknown, fallback = ''): string =>
  typeof value === 'string' ? value : fallback;
const at = (event: RecordedEvent, value: unknown): string =>
  storedInstant(value) ?? storedInstant(event.metadata.recordedAt) ?? new Date(0).toISOString();
const maxCount = 1_000_000;
/**
 * A head count, as ProgrammeHeld and ProgrammeAttendanceRecorded (since schema version 2) carry it.
 * The type promises both counts; a stored event may lack one (storedCount reads that as 0).
 */
const attendees = (d: { attendees?: object }): Record<string, unknown> => ({ ...d.attendees });

// Adds per-unit deltas; `$cols` name the counter columns the select yields after unit_id.
const addToUnitCounts = (s: string, cols: string[], select: string) => `
  INSERT INTO ${s}.ps_unit_counts (unit_id, ${cols.join(', ')}) ${select}
  ON CONFLICT (unit_id) DO UPDATE SET ${cols.map((c) => `${c} = ps_unit_counts.${c} + EXCLUDED.${c}`).join(', ')}`;
const addToSkillCounts = (s: string, select: string) => `
  INSERT INTO ${s}.ps_unit_skill_counts (unit_id, skill, members) ${select}
  ON CONFLICT (unit_id, skill) DO UPDATE SET members = ps_unit_skill_counts.members + EXCLUDED.members`;

/**
 * Programmes with their head counts, and members' digital skills, as counters per unit (see the ddl).
 * Every counter moves by a delta computed from a row that changed: an enrolment, skill or programme is
 * counted when its row is first inserted, an erasure when the member's row first turns erased, a new
 * head count by its difference from the count it replaces (guarded by the stream version). So a
 * replayed batch changes nothing. Per batch the types are applied in the order a member's or a
 * programme's stream can hold them (enrolled, skill, erased; held, counted).
 */
export const programmesSkillsProjection: Projection = {
  name: 'programmes-skills',
  version: 1,
  handles: new Set([
    'UnitRegistered',
    'MemberEnrolled',
    'MemberSkillAttained',
    'MemberDataErased',
    'ProgrammeHeld',
    'ProgrammeAttendanceRecorded',
  ]),
  tables: programmesSkillsTables,
  createTables: createProgrammesSkillsTables,
  createIndexes: createProgrammesSkillsIndexes,
  async apply(batch, tx) {
    const s = ident(tx.schema);
    const of = <T extends DomainEventType>(type: T): DomainRecordedEvent<T>[] =>
      eventsOf(batch, type);
    await applyUnits(tx.sql, s, of('UnitRegistered'));
    await applyEnrolments(tx.sql, s, of('MemberEnrolled'));
    await applySkills(tx.sql, s, of('MemberSkillAttained'));
    await applyErasures(tx.sql, s, of('MemberDataErased'));
    await applyProgrammes(tx.sql, s, of('ProgrammeHeld'));
    await applyAttendance(tx.sql, s, of('ProgrammeAttendanceRecorded'));
  },
};

async function applyUnits(sql: Sql, s: string, events: Of<'UnitRegistered'>): Promise<void> {
  if (!events.length) return;
  const units = events.map(({ data }) => ({
    unitId: text(data.unitId),
    parentId: text(data.parentId) || null,
  }));
  const parents = [...new Set(units.map((u) => u.parentId).filter((p): p is string => !!p))];
  const paths = new Map<string, string[]>();
  for (const row of await rows<{ unit_id: string; path: string[] }>(
    sql,
    `SELECT unit_id, path FROM ${s}.ps_units WHERE unit_id = ANY($1)`,
    [parents],
  ))
    paths.set(row.unit_id, row.path);
  for (const u of units)
    if (!paths.has(u.unitId))
      paths.set(u.unitId, [...(u.parentId ? (paths.get(u.parentId) ?? []) : []), u.unitId]);
  await sql.query(
    `INSERT INTO ${s}.ps_units (unit_id, parent_id, path)
     SELECT u.unit_id, u.parent_id, ARRAY(SELECT jsonb_array_elements_text(u.path::jsonb))
     FROM unnest($1::text[], $2::text[], $3::text[]) AS u(unit_id, parent_id, path)
     ON CONFLICT (unit_id) DO NOTHING`,
    [
      units.map((u) => u.unitId),
      units.map((u) => u.parentId),
      units.map((u) => JSON.stringify(paths.get(u.unitId))),
    ],
  );
}

async function applyEnrolments(sql: Sql, s: string, events: Of<'MemberEnrolled'>): Promise<void> {
  if (!events.length) return;
  const data = events.map((e) => e.data);
  await sql.query(
    `WITH added AS (
       INSERT INTO ${s}.ps_members (member_id, unit_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (member_id) DO NOTHING
       RETURNING unit_id)
     ${addToUnitCounts(s, ['members'], 'SELECT unit_id, count(*) FROM added GROUP BY unit_id')}`,
    [data.map((d) => text(d.memberId)), data.map((d) => text(d.unitId))],
  );
}

/** A skill of an unknown member is kept out (no unit to count it in); of an erased one, not counted. */
async function applySkills(sql: Sql, s: string, events: Of<'MemberSkillAttained'>): Promise<void> {
  if (!events.length) return;
  const data = events.map((e) => e.data);
  await sql.query(
    `WITH added AS (
       INSERT INTO ${s}.ps_member_skills (member_id, skill, attained_at)
       SELECT u.member_id, u.skill, u.attained_at
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS u(member_id, skill, attained_at)
       JOIN ${s}.ps_members m USING (member_id)
       ON CONFLICT (member_id, skill) DO NOTHING
       RETURNING member_id, skill)
     ${addToSkillCounts(
       s,
       `SELECT m.unit_id, a.skill, count(*) FROM added a JOIN ${s}.ps_members m USING (member_id)
        WHERE NOT m.erased GROUP BY m.unit_id, a.skill`,
     )}`,
    [
      data.map((d) => text(d.memberId)),
      data.map((d) => Array.from(text(d.skill)).slice(0, 64).join('')),
      events.map((e) => at(e, e.data.attainedAt)),
    ],
  );
}

/** An erased member leaves the member counts and every skill share they were counted in. */
async function applyErasures(sql: Sql, s: string, events: Of<'MemberDataErased'>): Promise<void> {
  if (!events.length) return;
  // Sub-statements share one snapshot: `skills` reads the member's skills as they were before.
  await sql.query(
    `WITH erased AS (
       UPDATE ${s}.ps_members SET erased = true WHERE member_id = ANY($1) AND NOT erased
       RETURNING member_id, unit_id),
     members AS (${addToUnitCounts(
       s,
       ['members'],
       'SELECT unit_id, -count(*) FROM erased GROUP BY unit_id',
     )})
     ${addToSkillCounts(
       s,
       `SELECT e.unit_id, k.skill, -count(*) FROM erased e JOIN ${s}.ps_member_skills k USING (member_id)
        GROUP BY e.unit_id, k.skill`,
     )}`,
    [events.map((e) => text(e.data.memberId))],
  );
}

async function applyProgrammes(sql: Sql, s: string, events: Of<'ProgrammeHeld'>): Promise<void> {
  if (!events.length) return;
  const data = events.map((e) => e.data);
  await sql.query(
    `WITH added AS (
       INSERT INTO ${s}.ps_programmes
         (programme_id, unit_id, kind, title, topic, starts_at, members, citizens, stream_version)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
         $6::timestamptz[], $7::int[], $8::int[], $9::bigint[])
       ON CONFLICT (programme_id) DO NOTHING
       RETURNING unit_id, members, citizens)
     ${addToUnitCounts(
       s,
       ['programmes', 'attendee_members', 'attendee_citizens'],
       'SELECT unit_id, count(*), sum(members), sum(citizens) FROM added GROUP BY unit_id',
     )}`,
    [
      data.map((d) => text(d.programmeId)),
      data.map((d) => text(d.unitId)),
      data.map((d) => text(d.kind, 'awareness')),
      data.map((d) => text(d.title)),
      data.map((d) => (typeof d.topic === 'string' ? d.topic : null)),
      events.map((e) => at(e, e.data.startsAt)),
      data.map((d) => storedCount(attendees(d).members, 0, maxCount)),
      data.map((d) => storedCount(attendees(d).citizens, 0, maxCount)),
      events.map((e) => e.streamVersion.toString()),
    ],
  );
}

/** The newest count per programme replaces the stored one; the unit's totals move by the difference. */
async function applyAttendance(
  sql: Sql,
  s: string,
  events: Of<'ProgrammeAttendanceRecorded'>,
): Promise<void> {
  if (!events.length) return;
  const latest = new Map<string, Of<'ProgrammeAttendanceRecorded'>[number]>();
  for (const e of events) latest.set(text(e.data.programmeId), e); // feed order: last wins
  const counts = [...latest.values()];
  const data = counts.map((e) => e.data);
  // Sub-statements share one snapshot: `before` holds the counts being replaced.
  await sql.query(
    `WITH counted AS (
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::bigint[])
         AS c(programme_id, members, citizens, stream_version)),
     before AS (
       SELECT p.programme_id, p.unit_id, c.members - p.members AS members,
              c.citizens - p.citizens AS citizens
       FROM ${s}.ps_programmes p JOIN counted c USING (programme_id)
       WHERE p.stream_version < c.stream_version),
     replaced AS (
       UPDATE ${s}.ps_programmes p
       SET members = c.members, citizens = c.citizens, stream_version = c.stream_version
       FROM counted c WHERE p.programme_id = c.programme_id AND p.stream_version < c.stream_version)
     ${addToUnitCounts(
       s,
       ['attendee_members', 'attendee_citizens'],
       'SELECT unit_id, sum(members), sum(citizens) FROM before GROUP BY unit_id',
     )}`,
    [
      data.map((d) => text(d.programmeId)),
      data.map((d) => storedCount(attendees(d).members, 0, maxCount)),
      data.map((d) => storedCount(attendees(d).citizens, 0, maxCount)),
      counts.map((e) => e.streamVersion.toString()),
    ],
  );
}

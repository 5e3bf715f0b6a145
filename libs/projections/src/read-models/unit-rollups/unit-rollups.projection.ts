import { countsSql } from '#domain';
import type { RecordedEvent } from '#event-store';
import { ident, rows, type ProjectionTx, type Sql } from '../../runner/projection.js';

/** The kinds of fact a unit counts one by one, and the table keeping the first of each id. */
const counted = {
  MemberEnrolled: { field: 'members', table: 'members', id: 'memberId', key: 'member_id' },
  ClubFormed: { field: 'clubs', table: 'clubs', id: 'clubId', key: 'club_id' },
  PostPublished: { field: 'posts', table: 'posts', id: 'postId', key: 'post_id' },
} as const;
type CountedType = keyof typeof counted;

/** What a shift gives its member's unit, from its row (`sh`) joined to its member (`m`). */
const shares = (s: string) => `
  SELECT m.unit_id,
    sum(CASE WHEN ${countsSql.citizens('sh.status')} THEN sh.citizens ELSE 0 END) AS citizens,
    sum(CASE WHEN ${countsSql.verifiedHours('sh.status')}
      THEN COALESCE(EXTRACT(EPOCH FROM sh.ended_at - sh.started_at) / 3600.0, 0) ELSE 0 END) AS verified_hours
  FROM ${s}.shifts sh JOIN ${s}.members m ON m.member_id = sh.member_id
  WHERE sh.shift_id = ANY($1) GROUP BY m.unit_id`;

/** Read before the batch writes its facts (see `unitRollupsBefore`). */
export type RollupsBefore = Readonly<{
  shiftIds: string[];
  /** `Type/id` of the enrolments, clubs and posts their tables do not hold yet. */
  uncounted: ReadonlySet<string>;
  /** Per unit, what the batch's shifts gave before it (exact numbers, as text). */
  given: Given[];
}>;
type Given = { unit_id: string; citizens: string; verified_hours: string };

/**
 * One statement before the batch writes members, shifts, clubs and posts: which enrolments, clubs and
 * posts are new (only those count, so a stretch of the log applied again changes no figure), and what
 * the batch's shifts gave their units until now, read from the shift rows themselves: a shift row holds
 * everything its contribution depends on (member, times, status, citizens), so the difference a
 * correction, verification or rejection makes is "after minus before" without any history.
 */
export async function unitRollupsBefore(
  tx: ProjectionTx,
  batch: readonly RecordedEvent[],
): Promise<RollupsBefore> {
  const s = ident(tx.schema);
  const shiftIds = new Set<string>();
  const keys = new Set<string>();
  for (const { type, data } of batch) {
    const d = data as Record<string, unknown>;
    const kind = counted[type as CountedType];
    if (kind) keys.add(`${type}/${String(d[kind.id])}`);
    else if (typeof d.shiftId === 'string') shiftIds.add(d.shiftId);
  }
  const before = { shiftIds: [...shiftIds], uncounted: keys, given: [] as Given[] };
  if (!keys.size && !shiftIds.size) return before;
  const types = Object.keys(counted) as CountedType[];
  const ids = (type: CountedType) =>
    [...keys].filter((k) => k.startsWith(`${type}/`)).map((k) => k.slice(type.length + 1));
  const found = await rows<Given & { key: string | null }>(
    tx.sql,
    `SELECT NULL AS key, unit_id, citizens::text, verified_hours::text FROM (${shares(s)}) given
     ${types
       .map(
         (type, i) => `UNION ALL SELECT '${type}/' || ${counted[type].key}, NULL, NULL, NULL
           FROM ${s}.${counted[type].table} WHERE ${counted[type].key} = ANY($${i + 2})`,
       )
       .join(' ')}`,
    [before.shiftIds, ...types.map(ids)],
  );
  for (const row of found) {
    if (row.key === null) before.given.push(row);
    else keys.delete(row.key);
  }
  return before;
}

/**
 * Keeps `unit_closure` and `unit_rollups` (see unit-rollups.ddl.ts) once the batch has written its
 * units, members and shifts. New enrolments, clubs, posts and registrations are counted in memory per
 * unit; the batch's shifts give, per unit, what they give now minus what they gave before; then ONE
 * statement spreads each unit's difference to the unit and its ancestors through the closure and
 * updates each touched roll-up row once. Erasing a member's personal data changes no figure: the
 * summary keeps counting the member and their work, as it always has.
 */
export async function applyUnitRollups(
  tx: ProjectionTx,
  batch: readonly RecordedEvent[],
  before: RollupsBefore,
): Promise<void> {
  const s = ident(tx.schema);
  const registered = await registerUnits(
    tx.sql,
    s,
    batch.filter((e) => e.type === 'UnitRegistered').map((e) => String(e.data.unitId)),
  );
  type Counts = { members: number; clubs: number; posts: number; registered: number };
  const deltas = new Map<string, Counts>();
  const add = (unitId: unknown, field: keyof Counts) => {
    if (typeof unitId !== 'string') return;
    const delta = deltas.get(unitId) ?? { members: 0, clubs: 0, posts: 0, registered: 0 };
    delta[field] += 1;
    deltas.set(unitId, delta);
  };
  for (const unitId of registered) add(unitId, 'registered');
  const left = new Set(before.uncounted); // the first event of an id counts, as its table keeps the first
  for (const { type, data } of batch) {
    const kind = counted[type as CountedType];
    const d = data as Record<string, unknown>;
    if (kind && left.delete(`${type}/${String(d[kind.id])}`)) add(d.unitId, kind.field);
  }
  if (!deltas.size && !before.shiftIds.length) return;
  const units = [...deltas.entries()];
  const column = (field: keyof Counts) => units.map(([, d]) => d[field]);
  await tx.sql.query(
    `WITH delta AS (
       SELECT unit_id, sum(members) AS members, sum(clubs) AS clubs, sum(posts) AS posts,
         sum(registered) AS registered, sum(citizens) AS citizens, sum(verified_hours) AS verified_hours
       FROM (
         SELECT u.*, 0 AS citizens, 0 AS verified_hours
         FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[]) AS u(unit_id, members, clubs, posts, registered)
         UNION ALL SELECT unit_id, 0, 0, 0, 0, citizens, verified_hours FROM (${shares(s)}) given
         UNION ALL SELECT g.unit_id, 0, 0, 0, 0, -g.citizens, -g.verified_hours
         FROM unnest($7::text[], $8::numeric[], $9::numeric[]) AS g(unit_id, citizens, verified_hours)) d
       GROUP BY unit_id),
     rolled AS (
       SELECT c.ancestor_id, sum(d.members) AS members, sum(d.clubs) AS clubs, sum(d.posts) AS posts,
         sum(d.citizens) AS citizens, sum(d.verified_hours) AS verified_hours,
         sum(CASE WHEN c.depth > 0 THEN d.registered ELSE 0 END) AS subunits
       FROM delta d JOIN ${s}.unit_closure c ON c.unit_id = d.unit_id GROUP BY c.ancestor_id)
     UPDATE ${s}.unit_rollups r SET members = r.members + x.members, clubs = r.clubs + x.clubs,
       posts = r.posts + x.posts, citizens = r.citizens + x.citizens,
       verified_hours = r.verified_hours + x.verified_hours, subunits = r.subunits + x.subunits
     FROM rolled x WHERE r.unit_id = x.ancestor_id AND (x.members <> 0 OR x.clubs <> 0
       OR x.posts <> 0 OR x.citizens <> 0 OR x.verified_hours <> 0 OR x.subunits <> 0)`,
    [
      before.shiftIds,
      units.map(([id]) => id),
      column('members'),
      column('clubs'),
      column('posts'),
      column('registered'),
      before.given.map((g) => g.unit_id),
      before.given.map((g) => g.citizens),
      before.given.map((g) => g.verified_hours),
    ],
  );
}

/**
 * The closure rows of units registered in this batch, from the ancestor path their `units` row
 * already holds, and an empty roll-up row for each. Returns the units registered for the first time
 * (a unit id registered again keeps its first place in the tree, as its `units` row does).
 */
async function registerUnits(sql: Sql, s: string, unitIds: string[]): Promise<string[]> {
  if (!unitIds.length) return [];
  const fresh = await rows<{ unit_id: string }>(
    sql,
    `WITH closure AS (
       INSERT INTO ${s}.unit_closure (unit_id, ancestor_id, depth)
       SELECT u.unit_id, a.ancestor_id, cardinality(u.path) - a.ord
       FROM ${s}.units u CROSS JOIN LATERAL unnest(u.path) WITH ORDINALITY AS a(ancestor_id, ord)
       WHERE u.unit_id = ANY($1)
       ON CONFLICT DO NOTHING RETURNING unit_id, depth)
     INSERT INTO ${s}.unit_rollups (unit_id, parent_id)
     SELECT u.unit_id, u.parent_id FROM closure c JOIN ${s}.units u USING (unit_id) WHERE c.depth = 0
     ON CONFLICT DO NOTHING RETURNING unit_id`,
    [[...new Set(unitIds)]],
  );
  return fresh.map((row) => row.unit_id);
}

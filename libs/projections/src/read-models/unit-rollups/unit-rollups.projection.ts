import { countsSql } from '#domain';
import type { RecordedEvent } from '#event-store';
import { ident, rows, type ProjectionTx, type Sql } from '../../runner/projection.js';

/** Figures a batch adds to one unit itself; the roll-up spreads them to the unit and its ancestors. */
type UnitDelta = { members: number; clubs: number; posts: number; registered: number };

/** The kinds of fact a unit counts one by one, and the table holding each (keyed by its id). */
const counted = {
  MemberEnrolled: { field: 'members', table: 'members', id: 'memberId', key: 'member_id' },
  ClubFormed: { field: 'clubs', table: 'clubs', id: 'clubId', key: 'club_id' },
  PostPublished: { field: 'posts', table: 'posts', id: 'postId', key: 'post_id' },
} as const;

/** Enrolments, clubs and posts of a batch that its tables do not hold yet, by type and id. */
export type UncountedFacts = ReadonlySet<string>;

/**
 * Called before the batch writes members, clubs and posts: which of them are new. Only those are
 * counted, as their tables keep the first of each id, so that a stretch of the log applied again
 * (without its checkpoint) changes no figure.
 */
export async function uncountedFacts(
  tx: ProjectionTx,
  batch: readonly RecordedEvent[],
): Promise<UncountedFacts> {
  const s = ident(tx.schema);
  const keys = batch.flatMap((e) => {
    const kind = counted[e.type as keyof typeof counted];
    return kind ? [`${e.type}/${String((e.data as Record<string, unknown>)[kind.id])}`] : [];
  });
  if (!keys.length) return new Set();
  const fresh = new Set(keys);
  const ids = (type: keyof typeof counted) =>
    keys.filter((k) => k.startsWith(`${type}/`)).map((k) => k.slice(type.length + 1));
  const types = Object.keys(counted) as (keyof typeof counted)[];
  const held = await rows<{ key: string }>(
    tx.sql,
    types
      .map(
        (type, i) =>
          `SELECT '${type}/' || ${counted[type].key} AS key FROM ${s}.${counted[type].table} WHERE ${counted[type].key} = ANY($${i + 1})`,
      )
      .join(' UNION ALL '),
    types.map(ids),
  );
  for (const { key } of held) fresh.delete(key);
  return fresh;
}

/**
 * Keeps `unit_closure`, `unit_shift_shares` and `unit_rollups` (see unit-rollups.ddl.ts) from a batch
 * whose units, members and shifts are already written. Registrations and the new enrolments, clubs and
 * posts are counted in memory per unit; each shift the batch changed gives the difference between its
 * share now and the share it last gave; then ONE statement spreads every unit's difference to the unit
 * and its ancestors through the closure and updates each touched roll-up row once. Erasing a member's
 * personal data changes no figure: the summary keeps counting the member and their work, as it did.
 */
export async function applyUnitRollups(
  tx: ProjectionTx,
  batch: readonly RecordedEvent[],
  uncounted: UncountedFacts,
  changedShifts: readonly string[],
): Promise<void> {
  const s = ident(tx.schema);
  const registered = await registerUnits(
    tx.sql,
    s,
    batch.filter((e) => e.type === 'UnitRegistered').map((e) => unitIdOf(e.data)),
  );
  const deltas = new Map<string, UnitDelta>();
  const add = (unitId: unknown, field: keyof UnitDelta) => {
    if (typeof unitId !== 'string') return;
    const delta = deltas.get(unitId) ?? { members: 0, clubs: 0, posts: 0, registered: 0 };
    delta[field] += 1;
    deltas.set(unitId, delta);
  };
  for (const unitId of registered) add(unitId, 'registered');
  const left = new Set(uncounted); // the first event of an id counts, as its table keeps the first row
  for (const { type, data } of batch) {
    const kind = counted[type as keyof typeof counted];
    const d = data as Record<string, unknown>;
    if (kind && left.delete(`${type}/${String(d[kind.id])}`)) add(d.unitId, kind.field);
  }
  if (!deltas.size && !changedShifts.length) return;
  const units = [...deltas.entries()];
  const column = (field: keyof UnitDelta) => units.map(([, d]) => d[field]);
  // `prev` and `next` read the shares as they were before this statement (one snapshot), `kept`
  // stores the new ones; a shift whose member is unknown gives nothing, before as after.
  await tx.sql.query(
    `WITH next AS (
       SELECT sh.shift_id, m.unit_id,
         CASE WHEN ${countsSql.citizens('sh.status')} THEN sh.citizens ELSE 0 END::bigint AS citizens,
         CASE WHEN ${countsSql.verifiedHours('sh.status')}
           THEN COALESCE(EXTRACT(EPOCH FROM sh.ended_at - sh.started_at) / 3600.0, 0) ELSE 0 END AS verified_hours
       FROM ${s}.shifts sh JOIN ${s}.members m ON m.member_id = sh.member_id WHERE sh.shift_id = ANY($1)),
     prev AS (SELECT unit_id, citizens, verified_hours FROM ${s}.unit_shift_shares WHERE shift_id = ANY($1)),
     kept AS (
       INSERT INTO ${s}.unit_shift_shares SELECT * FROM next ON CONFLICT (shift_id) DO UPDATE
       SET unit_id = EXCLUDED.unit_id, citizens = EXCLUDED.citizens, verified_hours = EXCLUDED.verified_hours),
     delta AS (
       SELECT u.unit_id, u.members, u.clubs, u.posts, u.registered, 0::bigint AS citizens, 0::numeric AS verified_hours
       FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) AS u(unit_id, members, clubs, posts, registered)
       UNION ALL SELECT unit_id, 0, 0, 0, 0, citizens, verified_hours FROM next
       UNION ALL SELECT unit_id, 0, 0, 0, 0, -citizens, -verified_hours FROM prev),
     rolled AS (
       SELECT c.ancestor_id, sum(d.members) AS members, sum(d.clubs) AS clubs, sum(d.posts) AS posts,
         sum(d.citizens) AS citizens, sum(d.verified_hours) AS verified_hours,
         sum(CASE WHEN c.depth > 0 THEN d.registered ELSE 0 END) AS subunits
       FROM delta d JOIN ${s}.unit_closure c ON c.unit_id = d.unit_id GROUP BY c.ancestor_id)
     UPDATE ${s}.unit_rollups r SET members = r.members + x.members, clubs = r.clubs + x.clubs,
       posts = r.posts + x.posts, citizens = r.citizens + x.citizens,
       verified_hours = r.verified_hours + x.verified_hours, subunits = r.subunits + x.subunits
     FROM rolled x WHERE r.unit_id = x.ancestor_id
       AND (x.members <> 0 OR x.clubs <> 0 OR x.posts <> 0 OR x.citizens <> 0 OR x.verified_hours <> 0 OR x.subunits <> 0)`,
    [
      changedShifts,
      units.map(([id]) => id),
      column('members'),
      column('clubs'),
      column('posts'),
      column('registered'),
    ],
  );
}

const unitIdOf = (data: unknown) => String((data as { unitId?: unknown }).unitId);

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

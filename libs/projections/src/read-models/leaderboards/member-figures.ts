import type { Sql } from '../../runner/projection.js';
import { DAY_MS, QUARTER_MS } from './member-buckets.js';

const counters = ['citizens', 'verified_micros', 'window_citizens', 'clipped_micros'] as const;
export type Counters = Partial<Record<(typeof counters)[number], number>>;

type Key = Record<(typeof counters)[number], number> & {
  scope: string;
  grain: 'q' | 'd' | 't';
  start: number | null;
  member_id: string;
};

/**
 * A batch's changes to member_figures (member-totals.ddl.ts), summed in memory per key, then written
 * with one upsert: a batch of a thousand assistance events to a few hundred shifts touches a few
 * hundred keys, not a row per event and bucket.
 */
export class MemberFigures {
  private readonly keys = new Map<string, Key>();
  readonly scopes = new Set<string>();

  private at(scope: string, grain: Key['grain'], start: number | null, member: string): Key {
    const id = `${scope}\u0000${grain}\u0000${start}\u0000${member}`;
    let key = this.keys.get(id);
    if (!key) {
      key = {
        scope,
        grain,
        start,
        member_id: member,
        citizens: 0,
        verified_micros: 0,
        window_citizens: 0,
        clipped_micros: 0,
      };
      this.keys.set(id, key);
    }
    return key;
  }

  /**
   * Adds at an instant (epoch ms): to its quarter and day in the shift's scope (`''` without a
   * campaign), to the member's overall total, and to the campaign's total for what is inside it.
   */
  add(scope: string, memberId: string, ms: number, change: Counters): void {
    const c = {
      citizens: change.citizens ?? 0,
      verified_micros: change.verified_micros ?? 0,
      window_citizens: change.window_citizens ?? 0,
      clipped_micros: change.clipped_micros ?? 0,
    };
    this.scopes.add(scope);
    for (const key of [
      this.at(scope, 'q', Math.floor(ms / QUARTER_MS) * QUARTER_MS, memberId),
      this.at(scope, 'd', Math.floor(ms / DAY_MS) * DAY_MS, memberId),
    ])
      for (const name of counters) key[name] += c[name];
    if (c.citizens || c.verified_micros) {
      const total = this.at('', 't', null, memberId);
      total.citizens += c.citizens;
      total.verified_micros += c.verified_micros;
    }
    if (scope !== '' && (c.window_citizens || c.clipped_micros)) {
      const total = this.at(scope, 't', null, memberId);
      total.window_citizens += c.window_citizens;
      total.clipped_micros += c.clipped_micros;
    }
  }

  async write(sql: Sql, schema: string): Promise<void> {
    const table = `${schema}.member_figures`;
    const changed = [...this.keys.values()]
      .filter((k) => counters.some((name) => k[name] !== 0))
      .map(({ start, ...k }) => ({
        ...k,
        bucket: start === null ? '-infinity' : new Date(start).toISOString(),
      }));
    if (!changed.length) return;
    // one statement: the scopes ride along with the upsert (see bulk-sql.ts for the unnest form)
    await sql.query(
      `WITH scopes AS (INSERT INTO ${schema}.member_scopes SELECT unnest($9::text[]) ON CONFLICT DO NOTHING)
       INSERT INTO ${table} (scope, grain, bucket, member_id, ${counters.join(', ')})
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[], $6::bigint[],
         $7::bigint[], $8::bigint[])
       ON CONFLICT (scope, grain, bucket, member_id) DO UPDATE SET
         ${counters.map((name) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(', ')}`,
      [
        changed.map((k) => k.scope),
        changed.map((k) => k.grain),
        changed.map((k) => k.bucket),
        changed.map((k) => k.member_id),
        ...counters.map((name) => changed.map((k) => k[name])),
        [...this.scopes],
      ],
    );
    // a key back at zero is as if never touched (live and rebuilt rows stay equal); only a key that
    // something was taken from can reach zero
    const lowered = changed.filter((k) => counters.some((name) => k[name] < 0));
    if (lowered.length) await dropZeros(sql, schema, lowered);
  }
}

/** Deletes the given keys where every counter is zero. */
export async function dropZeros(
  sql: Sql,
  schema: string,
  keys: readonly { scope: string; grain: string; bucket: string; member_id: string }[],
): Promise<void> {
  await sql.query(
    `DELETE FROM ${schema}.member_figures f USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
       AS u(scope, grain, bucket, member_id)
     WHERE (f.scope, f.grain, f.bucket, f.member_id) = (u.scope, u.grain, u.bucket, u.member_id)
       AND ${counters.map((name) => `f.${name} = 0`).join(' AND ')}`,
    [
      keys.map((k) => k.scope),
      keys.map((k) => k.grain),
      keys.map((k) => k.bucket),
      keys.map((k) => k.member_id),
    ],
  );
}

import { arrayText } from '../../runner/bulk-sql.js';
import type { Sql } from '../../runner/projection.js';
import { dayOf, QUARTER_MS } from './member-buckets.js';
import { pathKeySql } from './member-subtree.sql.js';

const counters = ['citizens', 'verified_micros', 'window_citizens', 'clipped_micros'] as const;
export type Counters = Partial<Record<(typeof counters)[number], number>>;

type Key = Record<(typeof counters)[number], number> & {
  scope: string;
  grain: 'q' | 'd' | 't';
  start: number | null;
  member_id: string;
};

type MemberKeys = { q: Map<number, Key>; d: Map<number, Key>; t: Key | undefined };

const newKey = (scope: string, grain: Key['grain'], start: number | null, member: string): Key => ({
  scope,
  grain,
  start,
  member_id: member,
  citizens: 0,
  verified_micros: 0,
  window_citizens: 0,
  clipped_micros: 0,
});

/**
 * A batch's changes to member_figures (member-totals.ddl.ts), summed in memory per key, then written
 * with one upsert: a batch of a thousand assistance events to a few hundred shifts touches a few
 * hundred keys, not a row per event and bucket. A rebuild adds here a few times per event, so `add`
 * allocates nothing but new keys, and `write` sends each column as one array text with the buckets as
 * epoch milliseconds (pg's own array and Date serialization were most of this file's time).
 */
export class MemberFigures {
  /**
   * Keys by scope, then member, then grain and bucket start. A rebuild looks keys up several times
   * per event: a key text built from the four parts (number to text, concatenation, hashing a new
   * string) was the largest single cost of this file; scope and member ids are the events' own
   * strings, whose hashes are computed once.
   */
  private readonly keys = new Map<string, Map<string, MemberKeys>>();
  readonly scopes = new Set<string>();

  private member(scope: string, member: string): MemberKeys {
    let members = this.keys.get(scope);
    if (!members) this.keys.set(scope, (members = new Map()));
    let keys = members.get(member);
    if (!keys) members.set(member, (keys = { q: new Map(), d: new Map(), t: undefined }));
    return keys;
  }

  private bucket(keys: MemberKeys, scope: string, grain: 'q' | 'd', start: number, member: string) {
    let key = keys[grain].get(start);
    if (!key) keys[grain].set(start, (key = newKey(scope, grain, start, member)));
    return key;
  }

  private total(scope: string, member: string): Key {
    const keys = this.member(scope, member);
    return (keys.t ??= newKey(scope, 't', null, member));
  }

  /**
   * Adds at an instant (epoch ms): to its quarter and day in the shift's scope (`''` without a
   * campaign), to the member's overall total, and to the campaign's total for what is inside it.
   */
  add(scope: string, memberId: string, ms: number, change: Counters): void {
    const citizens = change.citizens ?? 0;
    const verified = change.verified_micros ?? 0;
    const windowCitizens = change.window_citizens ?? 0;
    const clipped = change.clipped_micros ?? 0;
    this.scopes.add(scope);
    const keys = this.member(scope, memberId);
    const quarter = this.bucket(
      keys,
      scope,
      'q',
      Math.floor(ms / QUARTER_MS) * QUARTER_MS,
      memberId,
    );
    quarter.citizens += citizens;
    quarter.verified_micros += verified;
    quarter.window_citizens += windowCitizens;
    quarter.clipped_micros += clipped;
    const day = this.bucket(keys, scope, 'd', dayOf(ms), memberId);
    day.citizens += citizens;
    day.verified_micros += verified;
    day.window_citizens += windowCitizens;
    day.clipped_micros += clipped;
    if (citizens || verified) {
      const total = this.total('', memberId);
      total.citizens += citizens;
      total.verified_micros += verified;
    }
    if (scope !== '' && (windowCitizens || clipped)) {
      const total = this.total(scope, memberId);
      total.window_citizens += windowCitizens;
      total.clipped_micros += clipped;
    }
  }

  async write(sql: Sql, schema: string): Promise<void> {
    const table = `${schema}.member_figures`;
    const changed: Key[] = [];
    const keep = (key: Key | undefined) => {
      if (key && (key.citizens || key.verified_micros || key.window_citizens || key.clipped_micros))
        changed.push(key);
    };
    for (const members of this.keys.values())
      for (const keys of members.values()) {
        for (const key of keys.q.values()) keep(key);
        for (const key of keys.d.values()) keep(key);
        keep(keys.t);
      }
    if (!changed.length) return;
    // one statement: the scopes ride along with the upsert (see bulk-sql.ts for the unnest form), and
    // each member's unit path is joined in as the key's path_key
    await sql.query(
      `WITH scopes AS (INSERT INTO ${schema}.member_scopes SELECT unnest($9::text[]) ON CONFLICT DO NOTHING)
       INSERT INTO ${table} (scope, grain, bucket, path_key, member_id, ${counters.join(', ')})
       SELECT u.scope, u.grain, ${bucketSql('u.ms')}, ${pathKeySql('p.path')}, u.member_id, ${counters.map((name) => `u.${name}`).join(', ')}
       FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::bigint[],
         $7::bigint[], $8::bigint[]) AS u(scope, grain, ms, member_id, ${counters.join(', ')})
       LEFT JOIN ${schema}.member_paths p ON p.member_id = u.member_id
       ON CONFLICT (scope, grain, bucket, path_key, member_id) DO UPDATE SET
         ${counters.map((name) => `${name} = ${table}.${name} + EXCLUDED.${name}`).join(', ')}`,
      [
        ...keyColumns(changed),
        ...counters.map((name) => column(changed, name)),
        arrayText([...this.scopes]),
      ],
    );
    // a key back at zero is as if never touched (live and rebuilt rows stay equal); only a key that
    // something was taken from can reach zero
    const lowered = changed.filter((k) => counters.some((name) => k[name] < 0));
    if (lowered.length) await dropZeros(sql, schema, lowered);
  }
}

/** A bucket start (epoch ms, NULL for a total) as the table's timestamptz: exact, no float. */
const bucketSql = (ms: string) =>
  `COALESCE(timestamptz 'epoch' + ${ms} * interval '1 millisecond', '-infinity')`;

function column(keys: readonly Key[], name: keyof Key): string {
  return arrayText(keys.map((k) => k[name]));
}

function keyColumns(keys: readonly Key[]): string[] {
  return [
    column(keys, 'scope'),
    column(keys, 'grain'),
    column(keys, 'start'),
    column(keys, 'member_id'),
  ];
}

/** Deletes the given keys where every counter is zero. */
async function dropZeros(sql: Sql, schema: string, keys: readonly Key[]): Promise<void> {
  await sql.query(
    `DELETE FROM ${schema}.member_figures f USING unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
       AS u(scope, grain, ms, member_id) LEFT JOIN ${schema}.member_paths p ON p.member_id = u.member_id
     WHERE (f.scope, f.grain, f.bucket, f.path_key, f.member_id)
         = (u.scope, u.grain, ${bucketSql('u.ms')}, ${pathKeySql('p.path')}, u.member_id)
       AND ${counters.map((name) => `f.${name} = 0`).join(' AND ')}`,
    keyColumns(keys),
  );
}

import { bulkInsert } from '../../runner/bulk-sql.js';
import type { Sql } from '../../runner/projection.js';
import { bucketsOf, type Grain } from './member-buckets.js';

type Key = {
  scope: string;
  grain: Grain;
  start: number | null;
  member_id: string;
  citizens: number;
  verified_micros: number;
};

/**
 * A batch's changes to member_figures, summed in memory per key (scope × grain × bucket × member), then
 * written with one upsert: a batch of a thousand assistance events to a few hundred shifts touches a few
 * hundred keys, not a thousand rows three times.
 */
export class MemberFigures {
  private readonly keys = new Map<string, Key>();

  /** Adds citizens and verified micros at an instant (epoch ms) to each of its buckets. */
  add(scope: string, memberId: string, ms: number, citizens: number, micros: number): void {
    if (citizens === 0 && micros === 0) return;
    for (const [grain, start] of bucketsOf(ms)) {
      const id = `${scope}\u0000${grain}\u0000${start}\u0000${memberId}`;
      let key = this.keys.get(id);
      if (!key) {
        key = { scope, grain, start, member_id: memberId, citizens: 0, verified_micros: 0 };
        this.keys.set(id, key);
      }
      key.citizens += citizens;
      key.verified_micros += micros;
    }
  }

  async write(sql: Sql, table: string): Promise<void> {
    const changed = [...this.keys.values()]
      .filter((k) => k.citizens !== 0 || k.verified_micros !== 0)
      .map((k) => ({
        scope: k.scope,
        grain: k.grain,
        bucket: k.start === null ? '-infinity' : new Date(k.start).toISOString(),
        member_id: k.member_id,
        citizens: k.citizens,
        verified_micros: k.verified_micros,
      }));
    await bulkInsert(sql, {
      table,
      columns: {
        scope: 'text',
        grain: 'text',
        bucket: 'timestamptz',
        member_id: 'text',
        citizens: 'bigint',
        verified_micros: 'bigint',
      },
      rows: changed,
      onConflict: `ON CONFLICT (scope, grain, bucket, member_id) DO UPDATE SET
        citizens = ${table}.citizens + EXCLUDED.citizens,
        verified_micros = ${table}.verified_micros + EXCLUDED.verified_micros`,
    });
    // a key back at zero is as if never touched (live and rebuilt rows stay equal); only a key that
    // something was taken from can reach zero
    const lowered = changed.filter((k) => k.citizens < 0 || k.verified_micros < 0);
    if (!lowered.length) return;
    await sql.query(
      `DELETE FROM ${table} f USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
         AS u(scope, grain, bucket, member_id)
       WHERE (f.scope, f.grain, f.bucket, f.member_id) = (u.scope, u.grain, u.bucket, u.member_id)
         AND f.citizens = 0 AND f.verified_micros = 0`,
      [
        lowered.map((k) => k.scope),
        lowered.map((k) => k.grain),
        lowered.map((k) => k.bucket),
        lowered.map((k) => k.member_id),
      ],
    );
  }
}

/**
 * Costly reads beside the writer: `readers` viewers each asking in a loop for the root's members board
 * over a period of their own (its start moved a minute per ask, so no two asks share an answer), the
 * most a viewer's token can make the database do per request. What it measures is the writer beside
 * them: commands must keep being recorded and projected while the reads queue for their turns
 * (READ_QUERIES_MAX), not stall behind them in PostgreSQL.
 */
import type { HttpClient } from './http-client.js';

export type FloodResult = {
  readers: number;
  seconds: number;
  reads: number;
  /** `503 reads_busy`: a read that waited its 5 s for a turn. */
  busy: number;
  /** Any other answer but 200. */
  failed: number;
};

export async function flood(
  client: HttpClient,
  rootUnitId: string,
  viewerToken: string,
  readers: number,
  seconds: number,
): Promise<FloodResult> {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let reads = 0;
  let busy = 0;
  let failed = 0;
  const firstStart = Date.parse('2025-01-01T00:00:00Z');
  await Promise.all(
    Array.from({ length: readers }, async (_, reader) => {
      for (let ask = 0; performance.now() < until; ask++) {
        const from = new Date(firstStart + (reader * 10_000 + ask) * 60_000).toISOString();
        const answer = await client.request(
          'GET',
          `/leaderboards/members?metric=citizensAssisted&unitId=${encodeURIComponent(rootUnitId)}&from=${from}&to=2099-12-31T00:00:00Z&limit=100`,
          viewerToken,
        );
        reads++;
        if (answer.status === 503 && answer.body.includes('reads_busy')) busy++;
        else if (answer.status !== 200) failed++;
      }
    }),
  );
  return { readers, seconds: (performance.now() - started) / 1000, reads, busy, failed };
}

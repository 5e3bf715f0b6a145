/**
 * Issue 10 point 2: dashboard reads measured while a writer records assistance to a live campaign, so
 * that the projection commits every few hundred milliseconds and no answer can be shared for long.
 * Each read is the query function behind the route, straight on the pool; the figures of the query it
 * replaced (aggregating the facts at read time) are measured in the same run, beside it.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '#event-store';
import {
  campaignProgress,
  memberLeaderboard,
  type MemberLeaderboardQuery,
  type ProjectionRunner,
} from '#projections';
import { campaignProgressFromFacts } from '../test/projections/support/campaign-progress.facts.js';
import { memberLeaderboardFromFacts } from '../test/projections/support/member-leaderboard.facts.js';
import { percentile } from './bench-kit.js';

const ROUNDS = 100;

/** Appends assistance to one shift of campaign `c0` as fast as the store takes it, until stopped. */
function startWriter(store: EventStore, startDate: string) {
  const streamId = `shift-bench-live-${randomUUID()}`;
  const shiftId = streamId.slice('shift-'.length);
  let stopped = false;
  let written = 0;
  const event = (type: string, data: Record<string, unknown>, at: string) => ({
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      occurredAt: at,
      recordedAt: new Date().toISOString(),
      recordedBy: 'bench',
      commandId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
    },
  });
  const done = (async () => {
    const startedAt = `${startDate}T08:00:00+07:00`;
    await store.append(
      streamId,
      [
        event(
          'ShiftStarted',
          { shiftId, memberId: 'm0', campaignId: 'c0', location: 'x', startedAt },
          startedAt,
        ),
      ],
      { expectedVersion: 'any' },
    );
    while (!stopped) {
      const occurredAt = `${startDate}T09:00:00+07:00`;
      await store.append(
        streamId,
        [
          event(
            'CitizenAssisted',
            {
              assistanceId: randomUUID(),
              shiftId,
              memberId: 'm0',
              campaignId: 'c0',
              serviceType: 'eid_activation',
              citizens: 1,
              occurredAt,
              citizenRef: null,
            },
            occurredAt,
          ),
        ],
        { expectedVersion: 'any' },
      );
      written++;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
      return written;
    },
  };
}

async function timed(query: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const latencies: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const started = performance.now();
    await query();
    if (round > 0) latencies.push(performance.now() - started);
  }
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Runs the reads with the runner following the writer; answers the table lines of the report. */
export async function liveReads(
  pool: pg.Pool,
  store: EventStore,
  runner: ProjectionRunner,
  activity: string,
  events: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ start: string }>(
    `SELECT start_date::text AS start FROM ${activity}.campaigns WHERE campaign_id = 'c0'`,
  );
  runner.start();
  const writer = startWriter(store, rows[0]!.start);
  const started = performance.now();
  try {
    const lines: string[] = [];
    const row = (name: string, t: { p50: number; p99: number }) =>
      `| ${name} | ${events.toLocaleString('en')} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} |`;
    const pair = async (
      name: string,
      kept: () => Promise<unknown>,
      facts: () => Promise<unknown>,
    ) => {
      lines.push(row(`${name}, kept (issue 10)`, await timed(kept)));
      lines.push(row(`${name}, from the facts (before)`, await timed(facts)));
    };
    await pair(
      'GET /campaigns/c0/progress',
      () => campaignProgress(pool, activity, 'c0'),
      () => campaignProgressFromFacts(pool, activity, 'c0'),
    );
    const boards: [string, MemberLeaderboardQuery][] = [
      [
        'GET /leaderboards/members?metric=citizensAssisted',
        { metric: 'citizensAssisted', limit: 20 },
      ],
      ['GET /leaderboards/members?metric=verifiedHours', { metric: 'verifiedHours', limit: 20 }],
      [
        'GET /leaderboards/members?metric=verifiedHours&campaignId=c0',
        { metric: 'verifiedHours', campaignId: 'c0', limit: 20 },
      ],
    ];
    for (const [name, q] of boards)
      await pair(
        name,
        () => memberLeaderboard(pool, activity, q),
        () => memberLeaderboardFromFacts(pool, activity, q),
      );
    const seconds = (performance.now() - started) / 1000;
    const written = await writer.stop();
    return [
      `While a writer appended assistance to campaign c0 (${written.toLocaleString('en')} events in ${seconds.toFixed(0)} s) and the runner followed it, ${ROUNDS} reads each after one to warm up:`,
      '',
      '| query (function on the pool) | events | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: |',
      ...lines,
    ];
  } finally {
    await writer.stop();
    await runner.stop();
  }
}

/**
 * The pieces of the "HTTP commands" bench (http-commands.bench.ts) that do not measure: posting to the
 * API, the raw INSERT floor, the checks that nothing was lost or doubled, and the CPU clock.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPostgresEventStore } from '#event-store';
import { runFor, type Measurement } from './bench-kit.js';
import type { HttpClient } from './http-client.js';

export const SECRET = 'bench-secret-of-sufficient-length-0123456789';

export type Acknowledged = {
  shiftId: string;
  memberId: string;
  assistanceId: string;
  citizens: number;
};

/** Nothing lost or doubled, versions contiguous, chains valid, the leaderboard equal to what was acknowledged. */
export async function verify(
  url: string,
  base: string,
  auth: string,
  shifts: { shiftId: string; memberId: string }[],
  acknowledged: Acknowledged[],
): Promise<string> {
  const store = createPostgresEventStore({ connectionString: url });
  try {
    let position = 0n;
    for (const { shiftId } of shifts) {
      const events = await store.readStream(`shift-${shiftId}`);
      const ids = events.slice(1).map((e) => (e.data as { assistanceId: string }).assistanceId);
      const expected = acknowledged.filter((a) => a.shiftId === shiftId).map((a) => a.assistanceId);
      if (new Set(ids).size !== ids.length) throw new Error(`${shiftId}: an assistance doubled`);
      if (ids.length !== expected.length || !expected.every((id) => ids.includes(id)))
        throw new Error(`${shiftId}: ${expected.length} acknowledged, ${ids.length} stored`);
      events.forEach((e, v) => {
        if (e.streamVersion !== BigInt(v)) throw new Error(`${shiftId}: version gap at ${v}`);
      });
      const chain = await store.verifyStream(`shift-${shiftId}`);
      if (!chain.valid) throw new Error(`${shiftId}: hash chain broken`);
      const last = events[events.length - 1]!.globalPosition;
      if (last > position) position = last;
    }
    const stored = `${acknowledged.length.toLocaleString('en-US')} acknowledged records on ${shifts.length} shifts, each stored once, versions contiguous, chains valid`;
    const board = await fetch(
      `${base}/leaderboards/members?metric=citizensAssisted&limit=500&from=2000-01-01&minPosition=${position}`,
      { headers: { authorization: auth } },
    );
    if (!board.ok) throw new Error(`leaderboard: ${board.status} ${await board.text()}`);
    const entries = ((await board.json()) as { entries: { memberId: string; value: number }[] })
      .entries;
    for (const { memberId } of shifts) {
      const want = acknowledged
        .filter((a) => a.memberId === memberId)
        .reduce((sum, a) => sum + a.citizens, 0);
      const got = entries.find((e) => e.memberId === memberId)?.value ?? 0;
      if (got !== want)
        throw new Error(`leaderboard: ${memberId} has ${got}, acknowledged ${want}`);
    }
    return `${stored}, leaderboard equal per member`;
  } finally {
    await store.close();
  }
}

export /** The floor: one-row INSERTs (a uuid and a small jsonb) from `clients` connections, each its own transaction. */
async function rawInserts(url: string, clients: number, durationMs: number): Promise<Measurement> {
  const pool = new pg.Pool({ connectionString: url, max: clients });
  try {
    await pool.query('CREATE TABLE IF NOT EXISTS raw_inserts (id uuid PRIMARY KEY, data jsonb)');
    return await runFor(clients, durationMs, async () => {
      await pool.query('INSERT INTO raw_inserts (id, data) VALUES ($1, $2)', [
        randomUUID(),
        JSON.stringify({ serviceType: 'other', citizens: 1 }),
      ]);
      return 1;
    });
  } finally {
    await pool.end();
  }
}

/** A command that must answer 201: anything else stops the bench with the problem's body. */
export async function send(client: HttpClient, token: string, path: string, body: unknown) {
  const answer = await client.request('POST', path, token, body);
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as { position: number };
}

/**
 * CPU time (ms) used so far by the API processes and by the PostgreSQL server of `url` (its postmaster
 * and the backends alive at the time), read from /proc: unlike rates, CPU per command holds on a
 * machine shared with other work. Undefined where /proc does not show the server (a remote one).
 */
export async function cpuClock(
  apiPids: number[],
  url: string,
): Promise<() => { api: number; pg: number | undefined }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!;
  const postmaster = stat(backend.pid)?.ppid; // while the backend lives: it exits with the client
  await client.end();
  const msPerTick = 1000 / 100; // USER_HZ
  // The API process with its children (API_PROCESSES > 1), PostgreSQL's postmaster with its backends.
  const tree = (root: number) => {
    let ticks = stat(root)?.cpu ?? 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const s = stat(Number(entry));
      if (s?.ppid === root) ticks += s.cpu;
    }
    return ticks * msPerTick;
  };
  return () => ({
    api: apiPids.reduce((sum, pid) => sum + tree(pid), 0),
    pg: postmaster === undefined ? undefined : tree(postmaster),
  });
}

function stat(pid: number): { ppid: number; cpu: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { ppid: Number(fields[1]), cpu: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

import { mkdtempSync, rmSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { createPostgresEventStore } from '#event-store';
import { PersonalDataVault, signToken } from '#platform';
import { memberSubject } from '#commands';
import { syntheticOptions, writeSyntheticHistory } from '#projections';
import { activityWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { createApp } from '../../apps/api/src/app.factory.js';
import { run as seed } from '../../apps/cli/src/commands/seed.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { createTestDatabase } from '../harness/database.js';

const SECRET = 'synthetic-resume-secret-0123456789abcdef';
const EVENTS = 3000;
const SEED = 21;
const args = ['synthetic', '--events', String(EVENTS), '--seed', String(SEED)];
type Database = Awaited<ReturnType<typeof createTestDatabase>>;
type Summary = { events: number; position: number; memberIds: string[]; campaignIds: string[] };

const cli = (db: Database, dataDir: string, more: string[]) =>
  runCliInProcess(seed, more, { DATABASE_URL: db.url, DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET });
const summaryOf = (out: string) => JSON.parse(out.trimEnd().split('\n').pop()!) as Summary;

/** The log as `seed synthetic` promises it: every event by stream and version, sealed names as such. */
async function logOf(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT event_id, type, stream_id, version::int, metadata,
              CASE WHEN data->'displayName' ? '$sealed' THEN data - 'displayName' ELSE data END AS data,
              data->'displayName' AS sealed
         FROM events ORDER BY stream_id, version`,
    );
    const { rows: head } = await client.query<{ position: string }>(
      'SELECT coalesce(max(global_position), 0)::text AS position FROM events',
    );
    const { rows: erased } = await client.query<{ subject_id: string }>(
      'SELECT subject_id FROM personal_data_erasures ORDER BY subject_id',
    );
    return { events: rows, position: Number(head[0]!.position), erased };
  } finally {
    await client.end();
  }
}

/** A history of SEED written into `db` with the writer stopped where `run` says (not through the CLI). */
async function writeInterrupted(db: Database, run: Parameters<typeof writeSyntheticHistory>[4]) {
  const pool = new pg.Pool({ connectionString: db.url, max: 16 });
  const store = createPostgresEventStore({ pool });
  await store.init();
  const vault = new PersonalDataVault(pool);
  await vault.init();
  try {
    await writeSyntheticHistory(
      store,
      syntheticOptions(EVENTS, SEED),
      {
        seal: (memberId, name) => vault.seal(memberSubject(memberId), name),
        erase: (memberId) => vault.destroy(memberSubject(memberId)),
      },
      undefined,
      run,
    );
  } finally {
    await store.close();
    await pool.end();
  }
}

describe('npm run cli -- seed synthetic --resume', () => {
  const waves = [...activityWaves(syntheticOptions(EVENTS, SEED))];
  const membersWave = waves.findIndex((w) => w[0]!.events[0]!.type === 'MemberEnrolled');
  const lastWave = waves.length - 1; // the erasures
  const erasedMember = waves[lastWave]![0]!.events[0]!.data.memberId as string;
  /** A wave of shifts with an append, not its first, to a stream the next wave appends to again. */
  const recurs = (k: number, streamId: string) =>
    waves[k + 1]!.some((b) => b.streamId === streamId);
  const sharedWave = waves.findIndex(
    (w, k) => k > membersWave && w.slice(1).some((a) => recurs(k, a.streamId)),
  );
  const cutAt = waves[sharedWave]!.findIndex((a, i) => i > 0 && recurs(sharedWave, a.streamId));
  let interrupted: Database;
  let whole: Database;
  let dataDir: string;
  let app: INestApplication | undefined;

  beforeAll(async () => {
    [interrupted, whole] = await Promise.all([
      createTestDatabase('proj_resume_cut'),
      createTestDatabase('proj_resume_whole'),
    ]);
    dataDir = mkdtempSync(join(tmpdir(), 'synthetic-resume-'));
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([interrupted.drop(), whole.drop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes a run killed mid-wave (twice) and after a key was destroyed: the log equals an uninterrupted run', async () => {
    // given a run stopped with 10 of the members wave's enrolments stored (their names sealed)
    expect(waves[lastWave]![0]!.events[0]!.type).toBe('MemberDataErased');
    expect(sharedWave).toBeLessThan(lastWave - 1);
    await writeInterrupted(interrupted, { stopAfter: { waves: membersWave, appends: 10 } });
    const cut = await logOf(interrupted.url);
    // and resumed, stopped in a wave before the append to a stream the next wave appends to again
    await writeInterrupted(interrupted, {
      resume: true,
      stopAfter: { waves: sharedWave, appends: cutAt },
    });
    // and resumed once more, stopped after the erased member's key was destroyed, before the append
    await writeInterrupted(interrupted, {
      resume: true,
      stopAfter: { waves: lastWave, appends: 0 },
    });
    const keyGone = await logOf(interrupted.url);
    expect(keyGone.erased).toEqual([{ subject_id: memberSubject(erasedMember) }]);
    expect(keyGone.events.some((e) => e.type === 'MemberDataErased')).toBe(false);
    // and an uninterrupted run of the same seed into another database
    const uninterrupted = await cli(whole, dataDir, args);

    // when the interrupted run is resumed through the command line
    const resumed = await cli(interrupted, dataDir, [...args, '--resume']);

    // then it writes the rest: the same events, streams, versions, data and times as the whole run
    expect(uninterrupted.code).toBe(0);
    expect(resumed.code).toBe(0);
    const [mine, theirs] = [await logOf(interrupted.url), await logOf(whole.url)];
    const comparable = (log: typeof mine) => log.events.map(({ sealed: _, ...e }) => e);
    expect(mine.events).toHaveLength(theirs.events.length);
    expect(comparable(mine)).toEqual(comparable(theirs));
    expect(mine.erased).toEqual(theirs.erased);
    // and the enrolments stored before the interruption were not sealed again
    const sealedBefore = new Map(cut.events.map((e) => [`${e.stream_id}/${e.version}`, e.sealed]));
    const kept = mine.events.filter((e) => sealedBefore.has(`${e.stream_id}/${e.version}`));
    expect(kept.filter((e) => e.type === 'MemberEnrolled')).toHaveLength(10);
    for (const e of kept) expect(e.sealed).toEqual(sealedBefore.get(`${e.stream_id}/${e.version}`));
    // and its summary is the whole history's, whose ids the read routes answer
    const summary = summaryOf(resumed.out);
    const { position: _, ...rest } = summaryOf(uninterrupted.out);
    expect(summary).toEqual({ ...rest, position: mine.position });
    expect(summary.memberIds).not.toContain(erasedMember);
    app = await createApp({
      databaseUrl: interrupted.url,
      dataDir,
      jwtSecret: SECRET,
      env: { LOG_LEVEL: 'error', LOG_FORMAT: 'json' },
    });
    const bearer = `Bearer ${await signToken({ sub: 'aud-1', role: 'auditor' }, SECRET)}`;
    const read = async (path: string): Promise<request.Response> => {
      const res = await request(app!.getHttpServer())
        .get(`${path}?minPosition=${summary.position}`)
        .set('Authorization', bearer);
      return res.status === 504 ? read(path) : res; // each read waits up to 5 s for the position
    };
    for (const id of summary.memberIds)
      // the first ten sealed before the interruption
      expect((await read(`/audit/members/${id}/hours`)).body).toMatchObject({
        memberId: id,
        displayName: `Đoàn viên ${id}`,
      });
    expect((await read(`/audit/members/${erasedMember}/hours`)).body).toMatchObject({
      displayName: '(erased)', // the erasure recorded on resume, its key already gone
    });
  });

  it('writes nothing on a complete history and prints the same summary', async () => {
    // given the history finished above
    const before = await logOf(interrupted.url);

    // when it is resumed again
    const again = await cli(interrupted, dataDir, [...args, '--resume']);

    // then nothing is written, and the summary counts the whole history up to its last position
    expect(again.code).toBe(0);
    expect(await logOf(interrupted.url)).toEqual(before);
    expect(summaryOf(again.out)).toMatchObject({
      events: before.events.length,
      position: before.position,
    });
  });

  it('refuses a rerun without --resume, saying a run may have been interrupted and --resume finishes it', async () => {
    const rerun = await cli(whole, dataDir, args);

    expect(rerun.code).toBe(1);
    expect(rerun.err).toMatch(/already holds that seed's history/);
    expect(rerun.err).toMatch(/may have been interrupted.*--resume.*finishes it/);
  });

  it.each([['2000'], ['3100']])(
    'refuses --resume with --events %s on a 3000-event history, naming what differs, writing nothing',
    async (events) => {
      const before = await logOf(whole.url);

      const refused = await cli(whole, dataDir, [
        ...['synthetic', '--events', events, '--seed', String(SEED), '--resume'],
      ]);

      expect(refused.code).toBe(1);
      expect(refused.err).toMatch(
        new RegExp(`seed ${SEED} is not the one --events ${events} generates: stream \\S+ holds`),
      );
      expect(refused.out).toBe('');
      expect(await logOf(whole.url)).toEqual(before);
    },
  );

  it('runs as a fresh run when the log holds none of that seed', async () => {
    const fresh = await cli(whole, dataDir, [
      'synthetic',
      '--events',
      '500',
      '--seed',
      '22',
      '--resume',
    ]);

    const generated = [...activityWaves(syntheticOptions(500, 22))].flat();
    const count = generated.reduce((n, a) => n + a.events.length, 0);
    expect(fresh.code).toBe(0);
    expect(summaryOf(fresh.out).events).toBe(count);
    const log = await logOf(whole.url);
    expect(log.events.filter((e) => String(e.stream_id).includes('syn22.'))).toHaveLength(count);
  });
});

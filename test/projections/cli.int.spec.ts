import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { auditTrailProjection, volunteerActivityProjection } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

const root = resolve(process.cwd());

describe('the operator command line (built CLI against the same database)', () => {
  let f: Fixture;
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/apps/cli/src/main.js', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        ...process.env,
        DATABASE_URL: f.url,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-')),
        AUTH_JWT_SECRET: 'cli-test-secret-0123456789abcdef',
      },
    });

  beforeAll(async () => {
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    if (!existsSync(resolve(root, 'dist/apps/cli/src/main.js')))
      throw new Error('build failed: no dist/apps/cli');
    f = await projectionFixture('proj_cli');
    await appendWaves(
      f.store,
      activityWaves({
        targetEvents: 1_500,
        members: 30,
        campaigns: 2,
        concurrentShifts: 20,
        seed: 3,
      }),
    );
  }, 300_000);
  afterAll(() => f?.close());

  it('replays every projection with a progress bar, then reports no lag', () => {
    const replay = cli('replay', '--all');
    const status = cli('status');

    expect(replay.status).toBe(0);
    expect(replay.stderr).toMatch(/\[#{30}\] 100% \d+\/\d+ events/);
    expect(status.stdout).toMatch(
      new RegExp(
        `volunteer-activity\\s+v${volunteerActivityProjection.version}\\.1\\s+live\\s+\\d+\\s+0`,
      ),
    );
    expect(status.stdout).toMatch(
      new RegExp(`audit-trail\\s+v${auditTrailProjection.version}\\.1\\s+live\\s+\\d+\\s+0`),
    );
  });

  it('replays to a time as a snapshot beside the live read models, and says how to read it', async () => {
    const liveBefore = await f.pool.query(
      `SELECT projection, schema_name FROM projection_checkpoints WHERE state = 'live' ORDER BY 1`,
    );

    const replay = cli('replay', '--to-time', '2025-03-01T00:00:00+07:00', '--snapshot', 'march');
    const liveAfter = await f.pool.query(
      `SELECT projection, schema_name FROM projection_checkpoints WHERE state = 'live' ORDER BY 1`,
    );
    const snapshot = await f.pool.query(
      `SELECT state FROM projection_snapshots WHERE id = 'march'`,
    );

    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/^snapshot march ready; the live read models are unchanged/);
    expect(replay.stdout).toMatch(/\/campaigns\/<campaignId>\/progress\?snapshot=march/);
    expect(liveAfter.rows).toEqual(liveBefore.rows);
    expect(snapshot.rows).toEqual([{ state: 'ready' }]);
  });

  it("exports a member's audited hours as CSV", () => {
    const csv = cli('export', 'audit', '--member', 'm1', '--format', 'csv');

    expect(csv.status).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'memberId,displayName,shiftId,campaignId,startedAt,endedAt,hours,status,recordedBy,recordedAt,verifiedBy,corrections',
    );
    expect(csv.stdout.split('\r\n').length).toBeGreaterThan(2);
  });

  it('verifies every hash chain, and exits non-zero once a stored event was altered', async () => {
    expect(cli('verify').status).toBe(0);

    await f.pool.query(
      `UPDATE events SET data = jsonb_set(data, '{endedAt}', '"2025-01-01T00:00:00+07:00"') WHERE stream_id = 'shift-s3' AND type = 'ShiftEnded'`,
    );
    const all = cli('verify');
    const one = cli('verify', '--stream', 'shift-s3');

    expect(all.status).toBe(1);
    expect(all.stdout).toMatch(/BROKEN shift-s3/);
    expect(one.status).toBe(1);
    expect(cli('verify', '--stream', 'shift-s4').status).toBe(0);
  });

  it('refuses bad arguments with a usage line', () => {
    const bad = cli('replay', '--to-position', 'x');

    const projectionAndBound = cli('replay', '--projection', 'audit-trail', '--to-position', '1');

    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: replay/);
    expect(projectionAndBound.status).toBe(2);
    expect(projectionAndBound.stderr).toMatch(/covers every projection/);
  });
});

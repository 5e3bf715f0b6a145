import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelayCheckpointStore, type RelayStatus } from '#messaging';
import { auditTrailProjection, volunteerActivityProjection } from '#projections';
import { activityWaves, appendWaves } from '../../libs/projections/src/demo/activity-generator.js';
import { buildCli, runCli, startCli } from './support/built-cli.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

describe('the operator command line (built CLI against the same database)', () => {
  let f: Fixture;
  const env = () => ({
    DATABASE_URL: f.url,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'cli-')),
    AUTH_JWT_SECRET: 'cli-test-secret-0123456789abcdef',
  });
  const cli = (...args: string[]) => runCli(args, env());
  /** The CLI started without waiting for it: commands that only read are run side by side. */
  const started = (...args: string[]) => startCli(args, env());

  beforeAll(async () => {
    buildCli();
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
        `\\nvolunteer-activity\\s+${volunteerActivityProjection.version}\\s+1\\s+live\\s+\\d+\\s+0\\n`,
      ),
    );
    expect(status.stdout).toMatch(
      new RegExp(`\\naudit-trail\\s+${auditTrailProjection.version}\\s+1\\s+live\\s+\\d+\\s+0\\n`),
    );
  });

  // Found by probing: `status` showed `v12.3` under "version" (version 12, third generation, read as
  // a release 12.3), and nothing of the Kafka relay, whose outage /health reports: an operator saw
  // every projection at lag 0 while no event reached Kafka.
  it("shows each projection's version and generation apart, and the relay's last report", async () => {
    // given a relay that last reported a failure (what the worker's relay writes into relay_reports)
    const relay = new RelayCheckpointStore(f.pool, 'kafka-relay');
    await relay.init();
    await relay.report({
      state: 'degraded',
      lastError: 'broker 127.0.0.1:9092 refused \u001b[31mthe connection',
      lastErrorAt: '2026-11-30T23:00:00.000Z',
      unacknowledgedSince: null,
    } as unknown as RelayStatus);

    // when the operator asks for the status
    const status = cli('status');

    // then the version is the projection's number alone, and the relay's state and error are shown
    expect(status.status).toBe(0);
    const [, header] = status.stdout.split('\n');
    expect(header!.split(/\s+/)).toEqual([
      'projection',
      'version',
      'generation',
      'state',
      'checkpoint',
      'lag',
    ]);
    expect(status.stdout).not.toMatch(/\sv\d+\.\d+\s/);
    expect(status.stdout).toMatch(
      /\nkafka-relay: degraded, \d+ events not yet published, checkpoint none, reported at \d{4}-/,
    );
    expect(status.stdout).toContain(
      'last error at 2026-11-30T23:00:00.000Z: broker 127.0.0.1:9092 refused \\u001B[31mthe connection',
    );
    expect(status.stdout).not.toContain('\u001b');
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
    // audit hours are read with an auditor's token: a viewer's, the one the note mints, gets 403
    expect(replay.stdout).toMatch(
      /token --role auditor\)\n.*\$AUDITOR.*\/audit\/members\/<memberId>\/hours\?snapshot=march/,
    );
    expect(liveAfter.rows).toEqual(liveBefore.rows);
    expect(snapshot.rows).toEqual([{ state: 'ready' }]);
  });

  /** The CSV's rows as cells (the CSV has no quoted commas in this data). */
  const table = (csv: string) =>
    csv
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean)
      .map((line) => line.split(','));

  it("exports a member's audit trail as a spreadsheet reads it: BOM, local times, a totals row", () => {
    const csv = cli('export', 'audit', '--member', 'm1', '--format', 'csv');

    expect(csv.status).toBe(0);
    expect(
      csv.stdout.startsWith('\uFEFFRow,Shift id,Member id,Member,Unit,Campaign,Location,Started,'),
    ).toBe(true);
    const [header, ...rows] = table(csv.stdout);
    const shifts = rows.filter((r) => r[0] === 'shift');
    expect(shifts.length).toBeGreaterThan(0);
    const started = header!.indexOf('Started');
    for (const row of shifts) {
      expect(row[2]).toBe('m1');
      expect(row[started]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+07:00$/);
    }
    const total = rows.at(-1)!;
    expect(total[0]).toBe('total');
    expect(total[1]).toBe(`${shifts.length} shifts`);
    const citizens = header!.indexOf('Citizens assisted');
    expect(Number(total[citizens])).toBe(shifts.reduce((sum, r) => sum + Number(r[citizens]), 0));
  });

  it("exports a campaign's shifts and a unit subtree's, and refuses two scopes at once", async () => {
    const { rows: found } = await f.pool.query<{ id: string; root: string }>(
      `SELECT (SELECT data->>'campaignId' FROM events WHERE type = 'CampaignLaunched' LIMIT 1) AS id,
              (SELECT data->>'unitId' FROM events WHERE type = 'UnitRegistered' AND data->>'parentId' IS NULL LIMIT 1) AS root`,
    );
    const { id, root } = found[0]!;

    const [campaign, subtree, member, both] = await Promise.all([
      started('export', 'audit', '--campaign', id, '--format', 'json'),
      started('export', 'audit', '--unit', root, '--tz', 'UTC'),
      started('export', 'audit', '--member', 'm1'),
      started('export', 'audit', '--member', 'm1', '--unit', root),
    ]);

    expect(campaign.status).toBe(0);
    const answer = JSON.parse(campaign.stdout);
    expect(answer.shifts.length).toBeGreaterThan(0);
    expect(answer.shifts.every((s: { campaignId: string }) => s.campaignId === id)).toBe(true);
    expect(answer.totals.shifts).toBe(answer.shifts.length);
    const subtreeShifts = table(subtree.stdout).filter((r) => r[0] === 'shift');
    expect(subtreeShifts.length).toBeGreaterThan(
      table(member.stdout).filter((r) => r[0] === 'shift').length,
    );
    expect(subtreeShifts[0]![7]).toMatch(/ \+00:00$/);
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('exactly one of --member, --unit or --campaign');
  });

  // Found by probing the command line: the JSON export wrote the CSV's cell text for its shifts'
  // times ('2025-08-09 07:30:00 +07:00', '' when none) but UTC for its period and corrections:
  // three formats in one document, none the ISO 8601 local time with offset that API.md promises.
  it('exports JSON with every instant in ISO 8601 local time with its offset, null when absent', async () => {
    // given a history whose shifts have corrections, in campaigns of Asia/Ho_Chi_Minh
    const { rows } = await f.pool.query<{ root: string }>(
      `SELECT data->>'unitId' AS root FROM events WHERE type = 'UnitRegistered' AND data->>'parentId' IS NULL LIMIT 1`,
    );

    // when the whole tree is exported as JSON over a period given in dates
    const run = cli(
      'export',
      'audit',
      '--unit',
      rows[0]!.root,
      '--format',
      'json',
      '--from',
      '2024-01-01',
      '--to',
      '2026-12-31',
    );

    // then the period, every shift's times and every correction's are ISO local instants or null
    expect(run.status).toBe(0);
    const answer = JSON.parse(run.stdout);
    const local = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?\+07:00$/;
    expect([answer.from, answer.to]).toEqual([
      '2024-01-01T00:00:00+07:00',
      '2027-01-01T00:00:00+07:00',
    ]);
    type Span = { startedAt: string | null; endedAt: string | null };
    type Row = Span & {
      recordedAt: string;
      verifiedAt: string | null;
      corrections: (Record<'at', string> & Record<'before' | 'after', Span>)[];
    };
    const shifts: Row[] = answer.shifts;
    const corrections = shifts.flatMap((s) => s.corrections);
    expect(corrections.length).toBeGreaterThan(0);
    const instants = [
      ...shifts.flatMap((s) => [s.startedAt, s.endedAt, s.recordedAt, s.verifiedAt]),
      ...corrections.flatMap((c) => [
        c.at,
        c.before.startedAt,
        c.before.endedAt,
        c.after.startedAt,
        c.after.endedAt,
      ]),
    ];
    for (const instant of instants) if (instant !== null) expect(instant).toMatch(local);
    expect(shifts.some((s) => s.verifiedAt === null)).toBe(true); // not '', a spreadsheet's empty cell
  });

  it('verifies every hash chain, and exits non-zero once a stored event was altered', async () => {
    expect(cli('verify').status).toBe(0);

    await f.pool.query(
      `UPDATE events SET data = jsonb_set(data, '{endedAt}', '"2025-01-01T00:00:00+07:00"') WHERE stream_id = 'shift-s3' AND type = 'ShiftEnded'`,
    );
    const [all, one, intact] = await Promise.all([
      started('verify'),
      started('verify', '--stream', 'shift-s3'),
      started('verify', '--stream', 'shift-s4'),
    ]);

    expect(all.status).toBe(1);
    expect(all.stdout).toMatch(/BROKEN shift-s3/);
    expect(one.status).toBe(1);
    expect(intact.status).toBe(0);
    // found by probing: one stream checked was "1 streams, … events checked"
    expect(intact.stdout).toMatch(/\n1 stream, \d+ events checked: all hash chains intact\n$/);
  });

  it("mints a unit's token only for a unit the log has registered", async () => {
    const { rows } = await f.pool.query<{ id: string }>(
      `SELECT data->>'unitId' AS id FROM events WHERE type = 'UnitRegistered' LIMIT 1`,
    );

    const [known, unknown] = await Promise.all([
      started('token', '--role', 'coordinator', '--unit', rows[0]!.id),
      started('token', '--role', 'coordinator', '--unit', 'no-such-unit'),
    ]);

    expect(known.status).toBe(0);
    expect(known.stdout).toMatch(/^ey/);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unit no-such-unit is not registered');
    expect(unknown.stdout).toBe('');
  });

  it('refuses to export a member, unit or campaign the log has never registered', async () => {
    const scopes = ['member', 'unit', 'campaign'];
    // when an auditor mistypes the id
    const answers = await Promise.all(
      scopes.map((scope) => started('export', 'audit', `--${scope}`, 'no-such-id')),
    );
    for (const [i, scope] of scopes.entries()) {
      // then no empty trail is written as if it were the answer
      const unknown = answers[i]!;
      expect({ scope, status: unknown.status, stdout: unknown.stdout }).toEqual({
        scope,
        status: 2,
        stdout: '',
      });
      expect(unknown.stderr).toContain(`${scope} no-such-id is not registered`);
    }
  });

  it.each([['token'], ['replay'], ['verify'], ['export'], ['seed'], ['status']])(
    'prints the usage of %s for --help and -h, exit 0',
    async (command) => {
      const flags = ['--help', '-h'];
      const answers = await Promise.all(flags.map((flag) => started(command, flag)));
      for (const [i, flag] of flags.entries()) {
        const help = answers[i]!;
        expect({ command, flag, status: help.status }).toEqual({ command, flag, status: 0 });
        expect(help.stdout).toContain(`usage: ${command}`);
      }
    },
  );

  it('refuses bad arguments with a usage line', async () => {
    const [bad, projectionAndBound] = await Promise.all([
      started('replay', '--to-position', 'x'),
      started('replay', '--projection', 'audit-trail', '--to-position', '1'),
    ]);

    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/usage: replay/);
    expect(projectionAndBound.status).toBe(2);
    expect(projectionAndBound.stderr).toMatch(/covers every projection/);
  });
});

import { personalDataSchema } from '#platform';
import { migrateSchema } from '#schema';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { projectionFixture, type Fixture } from './support/projection-fixture.js';

/** Stored before the free-text gate refused control characters: a window title, a clear screen, C1 CSI. */
const hostileLocation = 'Ward 7\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e';
const hostileActor = 'coord\u001b[1A\rOK';
/** Free text may hold a line break (a name typed on two lines): here one that forges a row. */
const forgedRowName = 'Lê Văn Dòng\r\nshift,s-forged,esc-m9,Giả Mạo,esc-u1,,Ward 7,,,120';

// Found by probing the command line: `export audit` printed unredirected wrote the stored text raw to
// the terminal, so an escape sequence kept in a shift's location (from before the free-text gate)
// retitled the window and cleared the screen, and a carriage return in who recorded it redrew the row.
describe('export audit printed to a terminal', () => {
  let f: Fixture;
  const env = () => ({ DATABASE_URL: f.url, DATA_DIR: '/nonexistent-export-terminal' });

  /** The command with its stdout a terminal (`isTTY`), or not, as a shell runs it. */
  async function exported(format: 'csv' | 'json', tty: boolean, member = 'esc-m1') {
    const was = process.stdout.isTTY;
    process.stdout.isTTY = tty;
    try {
      return await runCliInProcess(
        exportCommand,
        ['audit', '--member', member, '--format', format],
        env(),
      );
    } finally {
      process.stdout.isTTY = was;
    }
  }

  beforeAll(async () => {
    f = await projectionFixture('cli_export_tty');
    await migrateSchema(f.pool, personalDataSchema);
    // given a member's shift whose location and recorder hold control characters
    await f.append('member-esc-m1', 'MemberEnrolled', {
      memberId: 'esc-m1',
      unitId: 'esc-u1',
      displayName: 'Lê Văn Thoát',
    });
    await f.append(
      'shift-esc-s1',
      'ShiftStarted',
      {
        shiftId: 'esc-s1',
        memberId: 'esc-m1',
        campaignId: null,
        location: hostileLocation,
        startedAt: '2025-08-09T07:30:00+07:00',
      },
      { recordedBy: hostileActor },
    );
    // and a member whose name holds a line break and, after it, a row of the export's own shape
    await f.append('member-esc-m2', 'MemberEnrolled', {
      memberId: 'esc-m2',
      unitId: 'esc-u1',
      displayName: forgedRowName,
    });
    await f.append('shift-esc-s2', 'ShiftStarted', {
      shiftId: 'esc-s2',
      memberId: 'esc-m2',
      campaignId: null,
      location: 'Ward 7',
      startedAt: '2025-08-09T07:30:00+07:00',
    });
  }, 120_000);
  afterAll(() => f?.close());

  it.each(['csv', 'json'] as const)(
    'given a terminal, when exported as %s, then every control character is shown escaped, rows kept',
    async (format) => {
      const result = await exported(format, true);

      expect(result.code).toBe(0);
      // (JSON.stringify writes its own escapes of C0 controls, in lower case)
      expect(result.out.toUpperCase()).toContain(
        'WARD 7\\U001B]0;PWNED\\U0007\\U001B[2J\\U009B31M\\U202E',
      );
      // nothing a terminal acts on, but the line breaks (and the CSV's byte order mark)
      expect(result.out.replace(/\r\n|\n/g, '').replace(/^\uFEFF/, '')).not.toMatch(
        /[\p{Cc}\p{Cf}]/u,
      );
      expect(result.out.split('\n').length).toBeGreaterThan(2);
      if (format === 'json') expect(() => JSON.parse(result.out) as unknown).not.toThrow();
      else expect(result.out.startsWith('\uFEFFRow,')).toBe(true);
    },
  );

  // Found by probing the command line: a line break kept in a name was printed as one, and what the
  // name held after it stood on a line of its own, read as a row of the export.
  it('given a terminal, when a stored name holds a line break, then it is shown escaped: each line is a row', async () => {
    const result = await exported('csv', true, 'esc-m2');

    expect(result.code).toBe(0);
    const lines = result.out.split(/\r\n|\n|\r/).filter((line) => line !== '');
    expect(lines.map((line) => line.split(',')[0])).toEqual(['\uFEFFRow', 'shift', 'total']);
    expect(result.out).toContain('L\u00EA V\u0103n D\u00F2ng\\u000D\\u000Ashift,s-forged');
  });

  it('given a pipe or a file, when exported, then the stored text is written as it is', async () => {
    const result = await exported('csv', false);

    expect(result.code).toBe(0);
    expect(result.out).toContain(hostileLocation);
    expect(result.out).toContain(hostileActor);
    expect((await exported('csv', false, 'esc-m2')).out).toContain(forgedRowName);
  });
});

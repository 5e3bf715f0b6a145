import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, runCli } from './support/built-cli.js';

// Found by following README's first session as a new user: the seed's last line said 146 turns and
// 6780 citizens where the dashboard shows 140 and 6685, naming the shifts out of the window but not
// the one it rejects; and run a second time it printed the same "recorded" lines and counts, though
// every command was answered from the log and nothing was recorded.
describe('what seed card-drive-2025 says it did', () => {
  let dataDir: string;
  const seed = () =>
    runCli(['seed', 'card-drive-2025'], {
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      AUTH_JWT_SECRET: 'seed-summary-secret-0123456789abcdef',
    });
  const lastLine = (stdout: string) => stdout.trim().split('\n').at(-1) ?? '';

  beforeAll(() => {
    buildCli();
    dataDir = mkdtempSync(join(tmpdir(), 'seed-summary-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given an empty log, when seeded twice, then the first run names the rejected shift and the second says it recorded nothing', () => {
    // when the scenario is loaded into an empty log
    const first = seed();
    // then its summary counts the rejected shift beside those out of the window
    expect(first.status).toBe(0);
    const summary =
      /^seed card-drive-2025: (\d+) commands \(\d+ turns, \d+ citizens, \d+ recorded late, \d+ out of window, 1 rejected\) in [\d.]+ s$/;
    expect(lastLine(first.stdout)).toMatch(summary);
    const commands = summary.exec(lastLine(first.stdout))![1];

    // when it is loaded again
    const second = seed();
    // then it says the log already held all of its commands
    expect(second.status).toBe(0);
    expect(lastLine(second.stdout)).toMatch(
      new RegExp(
        `^seed card-drive-2025: already in this log: its ${commands} commands were answered from the log, nothing new recorded \\(in [\\d.]+ s\\)$`,
      ),
    );
  }, 300_000);
});

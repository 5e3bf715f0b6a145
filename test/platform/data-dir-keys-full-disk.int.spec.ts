import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '#platform';
import { buildApi } from './support/api-process.js';

const root = resolve(process.cwd());
const builtPlatform = resolve(root, 'dist/libs/platform/src/index.js');

/**
 * Loads the built configuration on `dataDir` (creating its secret and key) in a process that can
 * create files but write nothing into them, as on a full disk: a file-size limit of 0 with SIGXFSZ
 * ignored makes every write fail (EFBIG) once the file exists. Resolves with the exit code: 3 when
 * the configuration was refused, 0 when it loaded.
 */
function loadOnFullDisk(dataDir: string): Promise<number | null> {
  const script =
    `const { loadConfig } = await import(${JSON.stringify(builtPlatform)});` +
    `try { loadConfig({ DATA_DIR: process.argv[1] }); process.exit(0); } catch { process.exit(3); }`;
  const child = spawn(
    'bash',
    [
      '-c',
      'trap "" XFSZ; ulimit -f 0; exec "$0" --input-type=module -e "$1" "$2"',
      process.execPath,
      script,
      dataDir,
    ],
    { cwd: root, stdio: 'ignore' },
  );
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/**
 * Measured on a DATA_DIR on a full tmpfs: the first start created DATA_DIR/audit-signing-key, could
 * not write the key into it (ENOSPC) and exited 1, leaving the file empty. Every later start, the disk
 * freed, refused to start: "invalid configuration: AUDIT_SIGNING_KEY: malformed signer key", of a
 * variable nobody had set (an empty jwt-secret: "AUTH_JWT_SECRET must be at least 16 characters"), for
 * a supervisor to restart it into the same refusal until someone found and deleted the file.
 */
describe("DATA_DIR's generated secret and signing key on a full disk", () => {
  let dataDir: string;
  beforeAll(() => buildApi(), 300_000);
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'data-dir-keys-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are written whole or not at all, and made at the next start once there is room', async () => {
    // given a first start on a disk where nothing can be written
    const code = await loadOnFullDisk(dataDir);
    expect(code).toBe(3);

    // then it left no empty secret or key file behind (nor anything else)
    expect(readdirSync(dataDir)).toEqual([]);

    // when the next start finds room
    const config = loadConfig({ DATA_DIR: dataDir });

    // then it makes and keeps both, and the start after reads the same
    expect(readFileSync(join(dataDir, 'audit-signing-key'), 'utf8').trim()).toBe(
      config.auditSigningKey,
    );
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(config.jwtSecret);
    const again = loadConfig({ DATA_DIR: dataDir });
    expect([again.auditSigningKey, again.jwtSecret]).toEqual([
      config.auditSigningKey,
      config.jwtSecret,
    ]);
  }, 60_000);

  it('replaces the empty files an earlier start on a full disk left', () => {
    // given the empty secret and key files such a start of an earlier release left
    writeFileSync(join(dataDir, 'audit-signing-key'), '');
    writeFileSync(join(dataDir, 'jwt-secret'), '');

    // when the server starts
    const config = loadConfig({ DATA_DIR: dataDir });

    // then it makes a key and a secret, and keeps them for the next start
    expect(config.auditSigningKey).toMatch(/^PRIVATE\+KEY\+/);
    expect(config.jwtSecret.length).toBeGreaterThanOrEqual(16);
    const again = loadConfig({ DATA_DIR: dataDir });
    expect([again.auditSigningKey, again.jwtSecret]).toEqual([
      config.auditSigningKey,
      config.jwtSecret,
    ]);
    expect(existsSync(join(dataDir, `jwt-secret.${process.pid}.new`))).toBe(false);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#platform';
import { buildApi } from './support/api-process.js';
import { onFullDisk } from './support/full-disk.js';

/**
 * Loads the built configuration on `dataDir` (creating its secret and key) on a full disk
 * (onFullDisk): 3 when the configuration was refused, 0 when it loaded.
 */
const loadOnFullDisk = (dataDir: string) =>
  onFullDisk(
    'try { platform.loadConfig({ DATA_DIR: dataDir }); process.exit(0); } catch { process.exit(3); }',
    dataDir,
  );

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

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as verifyCertificate } from '../../apps/cli/src/commands/verify-certificate.command.js';
import { run as verifyLog } from '../../apps/cli/src/commands/verify-log.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { offlineCertificate, offlineLog } from './offline-certificate.js';

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

/**
 * The files an auditor is handed, as editors and shells save them. Found by probing: a certificate
 * saved with a byte order mark (Notepad's "UTF-8 with BOM", PowerShell 5's `>` writing UTF-16) was
 * refused as "Unexpected token", though every byte of what it says is the issuer's; and bytes that
 * are not UTF-8 were read as U+FFFD and checked as if they were.
 */
describe('verify certificate and verify log read their files as text in a Unicode encoding', () => {
  let dir: string;
  let key: string;
  let json: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'verify-encodings-'));
    const log = offlineLog([
      {
        shiftId: 's-1',
        memberId: 'm-1',
        campaignId: 'c-1',
        startedAt: '2025-08-09T07:00:00.000+07:00',
        endedAt: '2025-08-09T11:00:00.000+07:00',
        then: ['ShiftVerified'],
      },
    ]);
    key = log.signer.verifierKey;
    json = JSON.stringify(
      offlineCertificate(log, 'm-1', { hours: { 's-1': 4 }, verifiedHours: 4 }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (bytes: Buffer) => {
    const file = join(dir, `certificate-${readdirSync(dir).length}.json`);
    writeFileSync(file, bytes);
    return runCliInProcess(verifyCertificate, [file, '--key', key], {});
  };

  it.each([
    ['UTF-8', () => Buffer.from(json, 'utf8')],
    ['UTF-8 with a byte order mark', () => Buffer.from(`\uFEFF${json}`, 'utf8')],
    ['UTF-16LE with a byte order mark', () => Buffer.from(`\uFEFF${json}`, 'utf16le')],
    ['UTF-16BE with a byte order mark', () => utf16be(`\uFEFF${json}`)],
  ])('given the certificate saved as %s, then it is checked and passes', async (_, bytes) => {
    // when the auditor checks it
    const result = await check(bytes());

    // then
    expect(result.out).toMatch(/^OK member m-1: 4 verified hours over 1 shift;/);
    expect(result.code).toBe(0);
  });

  it.each([
    [
      'a byte that is not UTF-8',
      () => Buffer.concat([Buffer.from(json), Buffer.from([0xff])]),
      /not UTF-8 \(byte \d+\)/,
    ],
    ['nothing at all', () => Buffer.alloc(0), /cannot read the certificate: .*JSON/],
    [
      'a lone byte order mark',
      () => Buffer.from('\uFEFF', 'utf8'),
      /cannot read the certificate: .*JSON/,
    ],
  ])('given a file holding %s, then it fails naming why (exit 1)', async (_, bytes, reason) => {
    // when the auditor checks it
    const result = await check(bytes());

    // then
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/^FAILED cannot read the certificate/);
    expect(result.out).toMatch(reason);
  });

  it('given a path that never ends, then it fails naming the most it reads (exit 1)', async () => {
    // when the auditor checks /dev/zero as a certificate (it was read until the kernel killed it)
    const result = await runCliInProcess(verifyCertificate, ['/dev/zero', '--key', key], {});

    // then
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      /^FAILED cannot read the certificate: \/dev\/zero holds more than 256 MiB: not a file this reads/,
    );
  });

  it('verify log refuses a checkpoint file that is not UTF-8 before it opens the database', async () => {
    // given a checkpoint file with a byte that is not UTF-8, and no database to reach
    const file = join(dir, 'checkpoint.txt');
    writeFileSync(file, Buffer.from([0x6c, 0x6f, 0x67, 0xc0, 0x0a]));
    const dataDir = mkdtempSync(join(tmpdir(), 'verify-encodings-data-'));
    try {
      // when the auditor runs verify log with it
      const result = await runCliInProcess(verifyLog, ['--checkpoint', file, '--key', key], {
        DATA_DIR: dataDir,
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        AUTH_JWT_SECRET: 'verify-encodings-secret-0123456789',
      });

      // then it fails naming the file's encoding, and opened nothing
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/^FAILED cannot read the checkpoint: .*not UTF-8 \(byte 3\)/);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

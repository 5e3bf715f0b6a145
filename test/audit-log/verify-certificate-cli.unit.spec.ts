import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  foldSubtrees,
  formatCheckpoint,
  generateSignerKey,
  parseSignerKey,
  signNote,
} from '#event-store';
import { run } from '../../apps/cli/src/commands/verify-certificate.command.js';
import { runCliInProcess } from '../harness/cli-in-process.js';

/** `verify certificate` as an auditor types it: offline, nothing but its arguments and the file. */
const verify = (args: string[]) => runCliInProcess(run, args, {});

// Found by probing the command line: `verify certificate --help` exited 2 with the usage on stderr,
// and `--key=<key>` or the key before the file were refused with the bare usage line, where every
// other command (cli-args.ts, README: "--help on each") prints its usage with exit 0, takes either
// form and names what is wrong.
describe('npm run cli -- verify certificate', () => {
  let dir: string;
  let file: string;
  let key: string;

  beforeAll(() => {
    // given a certificate of no shifts, into a checkpoint signed by a key the auditor trusts
    dir = mkdtempSync(join(tmpdir(), 'verify-certificate-'));
    const signer = parseSignerKey(generateSignerKey('certificate.test/log'));
    key = signer.verifierKey;
    const checkpoint = signNote(
      formatCheckpoint({ origin: 'certificate.test/log', treeSize: 0, rootHash: foldSubtrees([]) }),
      signer,
    );
    file = join(dir, 'hours.json');
    const certificate = { memberId: 'm-1', from: null, to: null, verifiedHours: 0, shifts: [] };
    writeFileSync(file, JSON.stringify({ ...certificate, checkpoint, key }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([['--help'], ['-h']])('prints its usage on stdout with %s, exit 0', async (flag) => {
    // when an auditor asks for help
    const result = await verify([flag]);

    // then the usage is on stdout, as for every other command
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^usage: verify certificate <file> --key <verifier key>[ \n]/);
    expect(result.err).toBe('');
  });

  it.each([
    ['the file first', (f: string, k: string) => [f, '--key', k]],
    ['the key first', (f: string, k: string) => ['--key', k, f]],
    ['--key=<key>', (f: string, k: string) => [f, `--key=${k}`]],
  ])('checks the certificate given %s', async (_, args) => {
    // when the certificate and the trusted key are given in any form the other commands take
    const result = await verify(args(file, key));

    // then it is checked
    expect(result.out).toMatch(/^OK member m-1: 0 verified hours over 0 shifts/);
    expect(result.code).toBe(0);
  });

  it.each([
    [[] as string[], /the certificate <file> is required/],
    [['FILE'], /--key <verifier key> is required/],
    [['FILE', 'other.json', '--key', 'KEY'], /unexpected argument other\.json/],
    [['FILE', '--key', 'KEY', '--key', 'KEY'], /--key is given twice/],
    [['FILE', '--key', 'KEY', '--trust-inside'], /Unknown option '--trust-inside'/],
    // found by probing: a mistyped key read "FAILED checkpoint: malformed verifier key", exit 1, as if
    // the certificate were at fault
    [['FILE', '--key', 'a+1+x'], /--key is not a verifier key \(malformed verifier key\)/],
  ])('refuses %j with exit 2, naming what is wrong', async (given, reason) => {
    // when the arguments are wrong
    const result = await verify(given.map((a) => (a === 'FILE' ? file : a === 'KEY' ? key : a)));

    // then the reason and the usage are on stderr, and nothing was checked
    expect(result.code).toBe(2);
    expect(result.err).toMatch(reason);
    expect(result.err).toContain('usage: verify certificate');
    expect(result.out).toBe('');
  });

  // Found by probing: the verdict said "checked against a checkpoint signed by the trusted key", not
  // which log's checkpoint nor its size, and nothing could hold it to a log: a certificate into a
  // test log signed by the same key passed as the union's.
  it('given a certificate that passes, then it names the checkpoint’s origin and tree size', async () => {
    const result = await verify([file, '--key', key]);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^OK member m-1: 0 verified hours over 0 shifts; .* the checkpoint of log "certificate\.test\/log" at tree size 0, signed by the trusted key; no attestation \(issued before them\): events cut off the end of a shift would not show\n$/,
    );
  });

  it('given --origin of the checkpoint’s log, then it passes; of another log, it fails naming both', async () => {
    const same = await verify([file, '--key', key, '--origin', 'certificate.test/log']);
    const other = await verify([file, '--key', key, '--origin', 'union.example/log']);

    expect(same.code).toBe(0);
    expect(other.code).toBe(1);
    expect(other.out).toBe(
      'FAILED the checkpoint is of log "certificate.test/log", not "union.example/log"\n',
    );
  });

  it('given an empty --origin, then it is a usage error, exit 2', async () => {
    const result = await verify([file, '--key', key, '--origin', '']);

    expect(result.code).toBe(2);
    expect(result.err).toContain('--origin must not be empty');
    expect(result.out).toBe('');
  });

  // The certificate is a file a volunteer hands over: its ids reach the auditor's terminal. A carriage
  // return and an escape sequence in one redrew the line, so that a terminal showed "OK … 120 verified
  // hours" over what the command printed, and a failed check could read as a passed one.
  it.each([
    ['a certificate that passes', (spoof: string) => ({ memberId: `m-1${spoof}` })],
    [
      'a certificate that fails',
      (spoof: string) => ({
        shifts: [{ shiftId: `s-1${spoof}`, campaignId: null, hours: 120, events: [] }],
        verifiedHours: 120,
      }),
    ],
  ])('prints the ids of %s without a control character', async (_, edit) => {
    // given a certificate whose id carries a carriage return, escape sequences and a C1 control
    const spoof = '\r\u001B[2KOK member m-1: 120 verified hours over 30 shifts\u009B1A\u202E';
    const forged = join(dir, 'forged.json');
    const certificate = JSON.parse(readFileSync(file, 'utf8')) as object;
    writeFileSync(forged, JSON.stringify({ ...certificate, ...edit(spoof) }));

    // when the auditor checks it
    const result = await verify([forged, '--key', key]);

    // then what is printed holds no control or bidirectional character, only their escapes, on
    // lines that each begin with the verdict
    expect(result.out).toContain('\\u001B[2KOK member');
    for (const line of result.out.trimEnd().split('\n')) {
      expect(line).toMatch(/^(OK|FAILED) /);
      expect(line).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    }
  });
});

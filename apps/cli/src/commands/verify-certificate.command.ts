import { certificateCheckpoint, checkCertificate, type HoursCertificate } from '#projections';
import { parseCommand, verifierKeyProblem } from '../cli-args.js';
import { terminalText } from '../terminal-text.js';
import { readTextFile } from '../text-file.js';

export const VERIFY_CERTIFICATE_USAGE =
  'verify certificate <file> --key <verifier key> [--origin <log origin>]';

const usage = `usage: ${VERIFY_CERTIFICATE_USAGE}

  Checks an hours certificate offline (no database, no server): every chain hash recomputed from the
  event fields, every inclusion proof, the checkpoint's signature against the key given (never the
  one inside the file), the issuer's attestation that no shift's events were cut off (certificates
  issued before it have none, and say so), and the hours recomputed; exits 1 naming what failed.
  Prints the origin and tree size of the checkpoint checked against; --origin: the checkpoint must be
  of that log too.`;

const attested = (certificate: HoursCertificate) =>
  certificate.attestation === undefined
    ? 'no attestation (issued before them): events cut off the end of a shift would not show'
    : "each shift's events as many as the issuer attested";

/**
 * `verify certificate <file> --key <verifier key>`: offline, no database and no server. The key is
 * the one the checker already trusts (the union's published key), never the one inside the file.
 */
export async function run(args: string[]): Promise<number> {
  // The parser of every other command: --help, --key=<key>, options before the file, and a reason.
  const parsed = parseCommand(
    'verify certificate',
    usage,
    args,
    { key: { type: 'string' }, origin: { type: 'string' } },
    ({ values, positionals }) =>
      positionals.length !== 1
        ? positionals.length
          ? `unexpected argument ${positionals[1]}`
          : 'the certificate <file> is required'
        : !values.key
          ? '--key <verifier key> is required: the union key you trust'
          : values.origin === ''
            ? '--origin must not be empty: the origin line of the log you trust'
            : verifierKeyProblem(values.key),
  );
  if (typeof parsed === 'number') return parsed;
  const [file] = parsed.positionals as [string];
  const key = parsed.values.key!;
  let certificate: HoursCertificate;
  try {
    certificate = JSON.parse(readTextFile(file)) as HoursCertificate;
  } catch (error) {
    // JSON.parse's message quotes the file around the error
    process.stdout.write(
      `FAILED cannot read the certificate: ${terminalText((error as Error).message)}\n`,
    );
    return 1;
  }
  let failures: string[];
  try {
    failures = checkCertificate(certificate, key, { origin: parsed.values.origin });
  } catch (error) {
    failures = [`malformed certificate: ${(error as Error).message}`];
  }
  if (failures.length) {
    // failures name the certificate's own ids and values, which whoever handed it over chose
    for (const failure of failures) process.stdout.write(`FAILED ${terminalText(failure)}\n`);
    return 1;
  }
  const events = certificate.shifts.reduce((n, s) => n + s.events.length, 0);
  // Which log and which of its heads the proofs are into: "a checkpoint signed by the trusted key"
  // left an auditor unable to tell a certificate of the union's log from one of a test log the same
  // key signed, or to compare the size with a checkpoint kept for `verify log`.
  const { origin, treeSize } = certificateCheckpoint(certificate, key);
  const shifts = certificate.shifts.length;
  process.stdout.write(
    `OK member ${terminalText(certificate.memberId)}: ${certificate.verifiedHours} verified hours over ` +
      `${shifts} ${shifts === 1 ? 'shift' : 'shifts'}; ${events} events, their chain hashes and ` +
      `inclusion proofs checked against the checkpoint of log "${terminalText(origin)}" at tree ` +
      `size ${treeSize}, signed by the trusted key; ${attested(certificate)}\n`,
  );
  return 0;
}

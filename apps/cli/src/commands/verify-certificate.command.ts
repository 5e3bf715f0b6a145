import { readFileSync } from 'node:fs';
import { checkCertificate, type HoursCertificate } from '#projections';

export const VERIFY_CERTIFICATE_USAGE = 'verify certificate <file> --key <verifier key>';

/**
 * `verify certificate <file> --key <verifier key>`: offline, no database and no server. The key is
 * the one the checker already trusts (the union's published key), never the one inside the file.
 */
export async function run(args: string[]): Promise<number> {
  const [file, flag, key, ...rest] = args;
  if (!file || flag !== '--key' || !key || rest.length) {
    process.stderr.write(`usage: ${VERIFY_CERTIFICATE_USAGE}\n`);
    return 2;
  }
  let certificate: HoursCertificate;
  try {
    certificate = JSON.parse(readFileSync(file, 'utf8')) as HoursCertificate;
  } catch (error) {
    process.stdout.write(`FAILED cannot read the certificate: ${(error as Error).message}\n`);
    return 1;
  }
  let failures: string[];
  try {
    failures = checkCertificate(certificate, key);
  } catch (error) {
    failures = [`malformed certificate: ${(error as Error).message}`];
  }
  if (failures.length) {
    for (const failure of failures) process.stdout.write(`FAILED ${failure}\n`);
    return 1;
  }
  const events = certificate.shifts.reduce((n, s) => n + s.events.length, 0);
  process.stdout.write(
    `OK member ${certificate.memberId}: ${certificate.verifiedHours} verified hours over ` +
      `${certificate.shifts.length} shifts; ${events} events, their chain hashes and inclusion ` +
      `proofs checked against a checkpoint signed by the trusted key\n`,
  );
  return 0;
}

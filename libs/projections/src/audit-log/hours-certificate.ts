import {
  counts,
  isLifecycleEvent,
  lifecycleAfter,
  readInstantMillis,
  readableEvents,
  type ShiftLifecycle,
} from '#domain';
import {
  chainHash,
  leafHash,
  openNote,
  parseCheckpoint,
  parseVerifierKey,
  verifyInclusion,
  type Checkpoint,
  type EventMetadata,
} from '#event-store';
import { round2 } from '../read-models/volunteer-activity/campaign-time.sql.js';
import { certificateShapeProblem } from './certificate-shape.js';

export { round2 };

/**
 * The hours certificate of API.md ("Verifiable log"): a member's shifts with every event of each, the
 * events' inclusion proofs and the checkpoint they prove into. Self-contained: `checkCertificate`
 * needs nothing else but a verifier key the checker already trusts.
 */
export type CertificateEvent = {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  previousHash: string | null;
  hash: string;
  leafIndex: number;
  inclusion: string[];
};

export type CertificateShift = {
  shiftId: string;
  campaignId: string | null;
  hours: number | null;
  events: CertificateEvent[];
};

export type HoursCertificate = {
  memberId: string;
  from: string | null;
  to: string | null;
  verifiedHours: number;
  shifts: CertificateShift[];
  checkpoint: string;
  key: string;
  /**
   * A signed note by the checkpoint's key of `attestationText`: that each shift's events stop where
   * the file's stop. Certificates issued before it have none.
   */
  attestation?: string;
};

export type ShiftFigures = {
  memberId: string | null;
  campaignId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  status: ShiftLifecycle;
  /** The recorded length in hours (unrounded); null while open. */
  hours: number | null;
};

/**
 * The rounding certificates were issued with before hours were rounded half up on the exact value
 * (round2): a float of the hours rounded, which gave 0.57 for 0.575 h. It differs only at an exact
 * half hundredth, and the checker still accepts it there, so a certificate a volunteer already holds
 * keeps passing.
 */
const issuedBeforeRound2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * What a shift's events say of it, folded the way the audit trail folds them (a correction sends the
 * shift back to pending; a verification or rejection decides it). One home for the certificate's
 * issuer and its checker, so that the hours both compute cannot drift apart. The certificate carries
 * its events as stored (their hashes cover that form); only what is read here is upcast.
 */
export function foldShift(
  events: readonly Pick<CertificateEvent, 'type' | 'schemaVersion' | 'data'>[],
): ShiftFigures {
  const s: ShiftFigures = {
    memberId: null,
    campaignId: null,
    startedAt: null,
    endedAt: null,
    status: 'open',
    hours: null,
  };
  // an event whose data cannot be read (#domain readableEvent) says nothing of the shift, as everywhere
  for (const { type, data } of readableEvents(events)) {
    const at = (field: string) =>
      typeof data[field] === 'string' ? (data[field] as string) : null;
    if (type === 'ShiftStarted') {
      s.memberId = at('memberId');
      s.campaignId = at('campaignId');
      s.startedAt = at('startedAt');
    } else if (type === 'ShiftEnded') {
      s.endedAt = at('endedAt');
    } else if (type === 'ShiftCorrected') {
      s.startedAt = at('startedAt') ?? s.startedAt;
      s.endedAt = at('endedAt') ?? s.endedAt;
    }
    if (isLifecycleEvent(type)) s.status = lifecycleAfter(type, s.endedAt !== null);
  }
  const hours = (instantAt(s.endedAt) - instantAt(s.startedAt)) / 3_600_000;
  s.hours = Number.isNaN(hours) ? null : hours;
  return s;
}

/**
 * Epoch milliseconds of an instant a shift's events hold, NaN when there is none. Read as every
 * reader of the log reads it (#domain readInstantMillis), not with Date.parse: the gate once took a
 * decimal comma (`07:30:00,5+07:00`), which Date.parse does not know, and left such shifts with null
 * hours and a certificate its own check refused.
 */
export const instantAt = (value: string | null): number =>
  (value === null ? null : readInstantMillis(value)) ?? NaN;

/** Verified hours of a set of folded shifts, rounded once at the end like the audit report. */
export const verifiedHoursOf = (
  shifts: readonly ShiftFigures[],
  round: (n: number) => number = round2,
): number =>
  round(shifts.reduce((sum, s) => sum + (counts(s.status).verifiedHours ? (s.hours ?? 0) : 0), 0));

/**
 * The certificate's checkpoint (origin, tree size, root), once its signature verifies with the
 * trusted key (never the key inside the file); throws naming what failed.
 */
export function certificateCheckpoint(
  certificate: Pick<HoursCertificate, 'checkpoint'>,
  trustedKey: string,
): Checkpoint {
  return parseCheckpoint(openNote(certificate.checkpoint, [parseVerifierKey(trustedKey)]));
}

/**
 * What the issuer signs beside the checkpoint (the certificate's `attestation`): the log and tree
 * size, the member and period, and for each shift how many of its events the checkpoint covers and
 * the last one's chain hash. The inclusion proofs show that each event is in the log, and the chain
 * that each follows the one before, but not that a shift's events stop where the file stops: a holder
 * who cut a shift's rejection off its end, or a correction and everything after it, kept a certificate
 * that checked, of more hours. Values are JSON strings, so no id or period can add a line; the first
 * line is no origin, so the note is never read as a checkpoint.
 */
export function attestationText(
  certificate: Pick<HoursCertificate, 'memberId' | 'from' | 'to' | 'shifts'>,
  checkpoint: Pick<Checkpoint, 'origin' | 'treeSize'>,
): string {
  const quoted = (value: string | null) => JSON.stringify(value);
  return [
    'volunteer hours certificate, version 1',
    `log ${quoted(checkpoint.origin)} size ${checkpoint.treeSize}`,
    `member ${quoted(certificate.memberId)} from ${quoted(certificate.from)} to ${quoted(certificate.to)}`,
    ...certificate.shifts.map(
      (shift) =>
        `shift ${quoted(shift.shiftId)} events ${shift.events.length} last ${shift.events.at(-1)?.hash ?? '-'}`,
    ),
    '',
  ].join('\n');
}

/**
 * The first line where the issuer's attestation and the certificate differ, or null when the
 * attestation verifies with the trusted key and holds what the certificate holds.
 */
function attestationProblem(
  certificate: HoursCertificate,
  trustedKey: string,
  checkpoint: Checkpoint,
): string | null {
  let signed: string;
  try {
    signed = openNote(certificate.attestation!, [parseVerifierKey(trustedKey)]);
  } catch (error) {
    return `attestation: ${(error as Error).message}`;
  }
  const issued = signed.split('\n');
  const held = attestationText(certificate, checkpoint).split('\n');
  const i = held.findIndex((line, k) => line !== issued[k]);
  if (i < 0 && issued.length === held.length) return null;
  const at = i < 0 ? held.length : i;
  const line = (text: string | undefined) => (text ? JSON.stringify(text) : 'nothing more');
  return (
    `attestation: the issuer signed ${line(issued[at])} where the certificate gives ` +
    `${line(held[at])} (events cut off a shift, a shift left out or added, or another member or period)`
  );
}

/**
 * Checks a certificate against a trusted verifier key: the checkpoint's signature, the attestation's
 * (when there is one, as every certificate issued since has) and that it holds the certificate's
 * shifts, events and period, every event's chain hash recomputed from its fields and linked to the one
 * before, every inclusion proof, that each shift is the member's and starts in the period, and the
 * hours recomputed. Returns what failed (empty: valid).
 */
export function checkCertificate(
  certificate: HoursCertificate,
  trustedKey: string,
  expected: { origin?: string } = {},
): string[] {
  const malformed = certificateShapeProblem(certificate);
  if (malformed) return [`malformed certificate: ${malformed}`];
  const failures: string[] = [];
  let checkpoint: Checkpoint;
  try {
    checkpoint = certificateCheckpoint(certificate, trustedKey);
    // A key may sign more than one log (a test log beside the union's): the origin says which one
    // the proofs are into, as `verify log` holds a checkpoint to its log's origin.
    if (expected.origin !== undefined && checkpoint.origin !== expected.origin)
      return [`the checkpoint is of log "${checkpoint.origin}", not "${expected.origin}"`];
  } catch (error) {
    return [`checkpoint: ${(error as Error).message}`];
  }
  const { treeSize, rootHash: root } = checkpoint;
  if (certificate.attestation !== undefined) {
    const problem = attestationProblem(certificate, trustedKey, checkpoint);
    if (problem) failures.push(problem);
  }
  // The period is what the certificate claims, and no signature covers it: one that cannot be read
  // (compared as NaN, false against every start) let every shift pass as inside it.
  const bounds: { from?: number; to?: number } = {};
  for (const name of ['from', 'to'] as const) {
    const value = certificate[name];
    if (value === null) continue;
    const millis = readInstantMillis(value);
    if (millis === null)
      return [`${name} ${JSON.stringify(value)} is neither null nor an instant with an offset`];
    bounds[name] = millis;
  }
  const folded: ShiftFigures[] = [];
  const listed = new Set<string>();
  for (const shift of certificate.shifts) {
    const name = `shift ${shift.shiftId}`;
    // A copy of a real shift carries valid proofs: counted twice, its verified hours would double.
    if (listed.has(shift.shiftId)) {
      failures.push(`${name}: listed more than once`);
      continue;
    }
    listed.add(shift.shiftId);
    let previous: string | null = null;
    shift.events.forEach((event, i) => {
      const where = `${name} event ${event.streamVersion} (${event.eventId})`;
      if (event.streamId !== `shift-${shift.shiftId}` || event.streamVersion !== i)
        failures.push(`${where}: not version ${i} of stream shift-${shift.shiftId}`);
      if (event.previousHash !== previous)
        failures.push(`${where}: previousHash does not link to the event before`);
      const recomputed = chainHash(event.previousHash, {
        ...event,
        streamVersion: BigInt(event.streamVersion),
      });
      if (recomputed !== event.hash)
        failures.push(`${where}: chain hash does not match the event's fields`);
      const proof = event.inclusion.map((h) => Buffer.from(h, 'base64'));
      const leaf = leafHash(Buffer.from(event.hash, 'hex'));
      if (!verifyInclusion(event.leafIndex, treeSize, leaf, proof, root))
        failures.push(`${where}: inclusion proof of leaf ${event.leafIndex} does not verify`);
      previous = event.hash;
    });
    const figures = foldShift(shift.events);
    folded.push(figures);
    if (figures.memberId !== certificate.memberId)
      failures.push(`${name}: its ShiftStarted is not of member ${certificate.memberId}`);
    // the issuer writes the campaign its ShiftStarted names; no signature covers the copy
    if (shift.campaignId !== figures.campaignId)
      failures.push(
        `${name}: campaignId ${shift.campaignId} but its ShiftStarted gives ${figures.campaignId}`,
      );
    const start = instantAt(figures.startedAt);
    if (
      Number.isNaN(start) ||
      (bounds.from !== undefined && start < bounds.from) ||
      (bounds.to !== undefined && start >= bounds.to)
    )
      failures.push(`${name}: does not start within the certificate's period`);
    const hours = figures.hours === null ? null : round2(figures.hours);
    const earlier = figures.hours === null ? null : issuedBeforeRound2(figures.hours);
    if (hours !== shift.hours && earlier !== shift.hours)
      failures.push(`${name}: hours ${shift.hours} but its events give ${hours}`);
  }
  const verifiedHours = verifiedHoursOf(folded);
  if (
    verifiedHours !== certificate.verifiedHours &&
    verifiedHoursOf(folded, issuedBeforeRound2) !== certificate.verifiedHours
  )
    failures.push(
      `verifiedHours ${certificate.verifiedHours} but the events give ${verifiedHours}`,
    );
  return failures;
}

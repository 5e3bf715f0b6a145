import { parseCheckpoint, type EventStore } from '#event-store';
import type { AuditLogRunner } from './audit-log.runner.js';
import {
  attestationText,
  foldShift,
  instantAt,
  round2,
  verifiedHoursOf,
  type CertificateEvent,
  type CertificateShift,
  type HoursCertificate,
} from './hours-certificate.js';

/** Events whose inclusion proofs are read and encoded at once. */
const PROOF_BATCH = 500;

export class NoCheckpointYet extends Error {
  override name = 'NoCheckpointYet';
}

/**
 * Issues a member's hours certificate as of the latest signed checkpoint: for each candidate shift,
 * its events that are under that checkpoint (a stream's events enter the feed in order, so they are
 * a prefix of the stream), with their inclusion proofs. A shift whose start is not signed yet, or that
 * does not start in [from, to) by its own events, is left out: the certificate holds only what its
 * checkpoint proves.
 */
export async function issueHoursCertificate(
  store: EventStore,
  log: AuditLogRunner,
  q: Readonly<{ memberId: string; from?: string; to?: string; shiftIds: readonly string[] }>,
): Promise<HoursCertificate> {
  const checkpoint = await log.checkpoints.latest();
  if (!checkpoint) throw new NoCheckpointYet('no checkpoint has been signed yet');
  const shifts: CertificateShift[] = [];
  const folded = [];
  for (const shiftId of q.shiftIds) {
    const stream = await store.readStream(`shift-${shiftId}`);
    const leaves = await log.tree.leavesOf(stream.map((e) => e.eventId));
    const signed = stream.filter(
      (e) => (leaves.get(e.eventId)?.leafIndex ?? Infinity) < checkpoint.treeSize,
    );
    if (!signed.length || signed[0]!.streamVersion !== 0n) continue;
    const figures = foldShift(signed);
    const start = instantAt(figures.startedAt);
    if (figures.memberId !== q.memberId) continue;
    if ((q.from && start < instantAt(q.from)) || (q.to && start >= instantAt(q.to))) continue;
    const events: CertificateEvent[] = [];
    // The proofs of up to PROOF_BATCH events from one read of the tree (a query per event took 12.6 s
    // for a shift of 10,000); no more at once, so that a large shift's hashing and encoding come in
    // slices between which the process answers other requests.
    for (let at = 0; at < signed.length; at += PROOF_BATCH) {
      const batch = signed.slice(at, at + PROOF_BATCH);
      const leafIndices = batch.map((event) => leaves.get(event.eventId)!.leafIndex);
      const proofs = await log.tree.inclusionProofs(leafIndices, checkpoint.treeSize);
      batch.forEach((event, i) =>
        events.push({
          streamId: event.streamId,
          streamVersion: Number(event.streamVersion),
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data as Record<string, unknown>,
          metadata: event.metadata,
          previousHash: event.previousHash,
          hash: event.hash,
          leafIndex: leafIndices[i]!,
          inclusion: proofs[i]!.map((h) => h.toString('base64')),
        }),
      );
    }
    folded.push(figures);
    shifts.push({
      shiftId,
      campaignId: figures.campaignId,
      hours: figures.hours === null ? null : round2(figures.hours),
      events,
    });
  }
  const certificate = {
    memberId: q.memberId,
    from: q.from ?? null,
    to: q.to ?? null,
    verifiedHours: verifiedHoursOf(folded),
    shifts,
    checkpoint: checkpoint.note,
    key: log.verifierKey,
  };
  return {
    ...certificate,
    // of the log the checkpoint names, as the checker reads it
    attestation: log.signNote(
      attestationText(certificate, parseCheckpoint(noteText(checkpoint.note))),
    ),
  };
}

/** A signed note's text: everything before the blank line that opens its signatures. */
const noteText = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);

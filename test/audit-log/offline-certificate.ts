import {
  chainHash,
  formatCheckpoint,
  generateSignerKey,
  inclusionRanges,
  leafHash,
  parseSignerKey,
  rootOfLeaves,
  signNote,
  type NoteSigner,
} from '#event-store';
import type { CertificateEvent, HoursCertificate } from '#projections';

/**
 * An hours certificate built offline, the way the issuer builds one (hours-certificate.builder.ts),
 * over a log of a few shifts: for the checker's suites, which need no database or server. Leaves of
 * other streams sit between the shift's so that proofs have siblings on both sides.
 */
export type OfflineShift = Readonly<{
  shiftId: string;
  memberId: string;
  campaignId: string;
  startedAt: string;
  endedAt: string;
  /** What happens after the end, in order. */
  then?: readonly ('ShiftVerified' | 'ShiftRejected')[];
}>;

export type OfflineLog = Readonly<{
  signer: NoteSigner;
  origin: string;
  /** Every leaf's data (the chain hash, hex), in feed order. */
  leaves: string[];
  events: Map<string, CertificateEvent[]>;
}>;

const metadata = (at: string, i: number) => ({
  occurredAt: at,
  recordedAt: at,
  recordedBy: 'coordinator-1',
  commandId: `cmd-${i}`,
  correlationId: `cmd-${i}`,
  causationId: null,
});

export function offlineLog(
  shifts: readonly OfflineShift[],
  origin = 'offline.test/log',
): OfflineLog {
  const signer = parseSignerKey(generateSignerKey(origin));
  const leaves: string[] = [];
  const events = new Map<string, CertificateEvent[]>();
  let n = 0;
  const append = (streamId: string, type: string, data: Record<string, unknown>, at: string) => {
    const stream = events.get(streamId) ?? [];
    const previousHash = stream.at(-1)?.hash ?? null;
    const fields = {
      streamId,
      streamVersion: stream.length,
      eventId: `e-${(n += 1)}`,
      type,
      schemaVersion: 1,
      data,
      metadata: metadata(at, n),
    };
    const hash = chainHash(previousHash, {
      ...fields,
      streamVersion: BigInt(fields.streamVersion),
    });
    stream.push({ ...fields, previousHash, hash, leafIndex: leaves.length, inclusion: [] });
    events.set(streamId, stream);
    leaves.push(hash);
  };
  for (const s of shifts) {
    const streamId = `shift-${s.shiftId}`;
    const { shiftId, memberId, campaignId, startedAt, endedAt } = s;
    append(streamId, 'ShiftStarted', { shiftId, memberId, campaignId, startedAt }, startedAt);
    append(`other-${shiftId}`, 'Noted', { shiftId }, startedAt);
    append(streamId, 'ShiftEnded', { shiftId, endedAt }, endedAt);
    for (const type of s.then ?? []) append(streamId, type, { shiftId }, endedAt);
  }
  return { signer, origin, leaves, events };
}

/** The certificate of `memberId` over every shift of the log, into a checkpoint of the whole log. */
export function offlineCertificate(
  log: OfflineLog,
  memberId: string,
  figures: Readonly<{ hours: Record<string, number | null>; verifiedHours: number }>,
): HoursCertificate {
  const leafHashes = log.leaves.map((h) => leafHash(Buffer.from(h, 'hex')));
  const size = leafHashes.length;
  const checkpoint = signNote(
    formatCheckpoint({ origin: log.origin, treeSize: size, rootHash: rootOfLeaves(leafHashes) }),
    log.signer,
  );
  const shifts = [...log.events.entries()]
    .filter(([streamId]) => streamId.startsWith('shift-'))
    .map(([streamId, events]) => ({
      shiftId: streamId.slice('shift-'.length),
      campaignId: (events[0]!.data.campaignId as string | undefined) ?? null,
      hours: figures.hours[streamId.slice('shift-'.length)] ?? null,
      events: events.map((e) => ({
        ...e,
        inclusion: inclusionRanges(e.leafIndex, size).map(([lo, hi]) =>
          rootOfLeaves(leafHashes, lo, hi).toString('base64'),
        ),
      })),
    }));
  return {
    memberId,
    from: null,
    to: null,
    verifiedHours: figures.verifiedHours,
    shifts,
    checkpoint,
    key: log.signer.verifierKey,
  };
}

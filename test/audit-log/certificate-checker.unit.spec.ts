import { checkCertificate, type HoursCertificate } from '#projections';
import { offlineCertificate, offlineLog } from './offline-certificate.js';

/**
 * The certificate's checker on a certificate built offline (offline-certificate.ts), edited the way
 * whoever hands it over could edit it: every edit that changes what it says must be named.
 */
describe('checkCertificate: an edited certificate is refused, naming the edit', () => {
  const log = offlineLog([
    {
      shiftId: 's-1',
      memberId: 'm-1',
      campaignId: 'c-1',
      startedAt: '2025-08-09T07:00:00.000+07:00',
      endedAt: '2025-08-09T11:00:00.000+07:00',
      then: ['ShiftVerified'],
    },
    {
      shiftId: 's-2',
      memberId: 'm-1',
      campaignId: 'c-1',
      startedAt: '2025-08-10T07:00:00.000+07:00',
      endedAt: '2025-08-10T09:30:00.000+07:00',
      then: ['ShiftRejected'],
    },
  ]);
  const key = log.signer.verifierKey;
  const certificate = (): HoursCertificate =>
    structuredClone(
      offlineCertificate(log, 'm-1', { hours: { 's-1': 4, 's-2': 2.5 }, verifiedHours: 4 }),
    );

  it('passes the certificate as issued', () => {
    expect(checkCertificate(certificate(), key)).toEqual([]);
  });

  // Found by probing: the issuer writes each shift's campaign from its ShiftStarted, but the checker
  // never compared it, so a shift moved to another campaign's certificate line passed as verified.
  it('names a shift whose campaignId was edited', () => {
    // given the certificate with its first shift said to be of another campaign
    const edited = certificate();
    edited.shifts[0]!.campaignId = 'c-9';

    // when it is checked, then the edit is named
    expect(checkCertificate(edited, key)).toEqual([
      'shift s-1: campaignId c-9 but its ShiftStarted gives c-1',
    ]);
  });

  it.each([[42], [{ id: 'c-1' }], [undefined]])(
    'names a campaignId of %j as malformed',
    (value) => {
      // given a certificate whose campaignId is not what the issuer writes
      const edited = certificate() as unknown as { shifts: Record<string, unknown>[] };
      edited.shifts[0]!.campaignId = value;

      // when it is checked, then the field is named
      expect(checkCertificate(edited as unknown as HoursCertificate, key)).toEqual([
        'malformed certificate: shifts[0].campaignId must be a string or null',
      ]);
    },
  );

  // These held when probed: kept so that a change to the checker cannot let them through.
  it('names an inclusion proof moved to another leaf, a leaf index changed, and a proof from another tree', () => {
    // given three edits: two events' proofs swapped, a leaf index moved, and an event's proof
    // replaced by one from another log's tree
    const swapped = certificate();
    const [first, second] = swapped.shifts[0]!.events;
    [first!.inclusion, second!.inclusion] = [second!.inclusion, first!.inclusion];
    const moved = certificate();
    moved.shifts[0]!.events[1]!.leafIndex += 1;
    const elsewhere = offlineLog([
      {
        shiftId: 's-0',
        memberId: 'm-0',
        campaignId: 'c-0',
        startedAt: '2025-08-08T07:00:00.000+07:00',
        endedAt: '2025-08-08T08:00:00.000+07:00',
      },
      ...([...log.events.values()].length ? [] : []),
    ]);
    const other = certificate();
    const foreign = offlineCertificate(elsewhere, 'm-0', { hours: { 's-0': 1 }, verifiedHours: 0 });
    other.shifts[1]!.events[0]!.inclusion = foreign.shifts[0]!.events[0]!.inclusion;

    // when each is checked, then the event whose proof no longer holds is named
    expect(checkCertificate(swapped, key)).toEqual([
      'shift s-1 event 0 (e-1): inclusion proof of leaf 0 does not verify',
      'shift s-1 event 1 (e-3): inclusion proof of leaf 2 does not verify',
    ]);
    expect(checkCertificate(moved, key)).toEqual([
      'shift s-1 event 1 (e-3): inclusion proof of leaf 3 does not verify',
    ]);
    expect(checkCertificate(other, key)).toEqual([
      'shift s-2 event 0 (e-5): inclusion proof of leaf 4 does not verify',
    ]);
  });
});

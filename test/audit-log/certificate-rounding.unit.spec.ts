import { checkCertificate } from '#projections';
import { offlineCertificate, offlineLog } from './offline-certificate.js';

// The audit report and the boards round hours half up on the exact value (campaign-time.sql.ts
// round2): a 34 min 30 s shift is 0.575 h, shown 0.58. The certificate's checker recomputed it as a
// float of the hours rounded, 0.57, so a certificate agreeing with the audit report was refused;
// one issued before, with 0.57, must still pass.
describe('checkCertificate: hours at an exact half hundredth', () => {
  const log = offlineLog([
    {
      shiftId: 's-half',
      memberId: 'm-1',
      campaignId: 'c-1',
      startedAt: '2025-08-09T07:00:00.000+07:00',
      endedAt: '2025-08-09T07:34:30.000+07:00',
      then: ['ShiftVerified'],
    },
  ]);
  const key = log.signer.verifierKey;

  it('given a certificate saying 0.575 h is 0.58, as the audit report does, when it is checked, then it passes', () => {
    // given the figures the audit report shows for this shift
    const certificate = offlineCertificate(log, 'm-1', {
      hours: { 's-half': 0.58 },
      verifiedHours: 0.58,
    });

    // when it is checked, then nothing is named
    expect(checkCertificate(certificate, key)).toEqual([]);
  });

  it('given a certificate issued with the earlier rounding (0.57), when it is checked, then it still passes', () => {
    // given the figures issued before the rounding was made exact
    const certificate = offlineCertificate(log, 'm-1', {
      hours: { 's-half': 0.57 },
      verifiedHours: 0.57,
    });

    // when it is checked, then nothing is named
    expect(checkCertificate(certificate, key)).toEqual([]);
  });

  it('given any other figure, when it is checked, then it is named with the exact one', () => {
    // given hours and a total that neither rounding gives
    const certificate = offlineCertificate(log, 'm-1', {
      hours: { 's-half': 0.56 },
      verifiedHours: 0.59,
    });

    // when it is checked, then both are named, with the figures the events give
    expect(checkCertificate(certificate, key)).toEqual([
      'shift s-half: hours 0.56 but its events give 0.58',
      'verifiedHours 0.59 but the events give 0.58',
    ]);
  });
});

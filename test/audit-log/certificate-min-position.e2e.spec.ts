import { PROBLEM, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { auditor, get, recordVerifiedShift } from './audit-log-kit.js';

// API.md "General": a read given `?minPosition=N` waits up to 5 s for N, else 504. The certificate
// waited for the audit trail only, then certified the events under the latest signed checkpoint: asked
// right after a verification, with its position, it answered 200 with the shift pending and 0 verified
// hours, a signed document that left out the very command the client named.
describe('an hours certificate asked for with ?minPosition= holds the command at that position', () => {
  describe('while checkpoints are signed every second', () => {
    let kit: CommandsKit;
    beforeAll(async () => {
      kit = await startCommandsKit('cert_min_pos', {
        worker: true,
        auditCheckpointIntervalMs: 1000,
      });
    });
    afterAll(async () => {
      await kit?.close();
    });

    it('certifies a shift verified a moment ago, once a checkpoint covers the verification', async () => {
      // given a shift verified a moment ago
      const ids = await recordVerifiedShift(kit, 'cmp', 3);

      // when its volunteer asks for their certificate with the position the verification returned
      const volunteer = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
      const res = await get(
        kit,
        `/audit/members/${ids.member}/certificate?minPosition=${ids.position}`,
        volunteer,
      );

      // then the certificate holds the verification and its hours
      expect(res.status).toBe(200);
      expect(res.body.verifiedHours).toBe(3);
      expect(res.body.shifts).toHaveLength(1);
      expect(res.body.shifts[0].events.map((e: { type: string }) => e.type)).toEqual([
        'ShiftStarted',
        'CitizenAssisted',
        'ShiftEnded',
        'ShiftVerified',
      ]);
    });
  });

  describe('while the next checkpoint on the interval is an hour away', () => {
    let kit: CommandsKit;
    beforeAll(async () => {
      kit = await startCommandsKit('cert_min_pos_late', {
        worker: true,
        auditCheckpointIntervalMs: 3_600_000,
      });
    });
    afterAll(async () => {
      await kit?.close();
    });

    it('signs a checkpoint covering the verification, rather than make the client wait an hour', async () => {
      // given a shift verified after the first checkpoint, the next one an hour away
      await recordVerifiedShift(kit, 'cml1', 2);
      while ((await get(kit, '/audit/log/checkpoint', auditor)).status !== 200)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const ids = await recordVerifiedShift(kit, 'cml2', 3);

      // when an auditor asks for the member's certificate with the verification's position
      const res = await get(
        kit,
        `/audit/members/${ids.member}/certificate?minPosition=${ids.position}`,
        auditor,
      );

      // then the certificate holds the verification, under a checkpoint signed for it
      expect(res.status).toBe(200);
      expect(res.body.verifiedHours).toBe(3);
      expect(res.body.shifts[0].events.at(-1).type).toBe('ShiftVerified');
    });
  });

  describe('while nothing appends the events to the log (no worker runs)', () => {
    let kit: CommandsKit;
    beforeAll(async () => {
      kit = await startCommandsKit('cert_min_pos_none', { worker: false });
    });
    afterAll(async () => {
      await kit?.close();
    });

    it('answers 504 to retry later, as a read whose read model lags', async () => {
      // given a shift verified, that no process puts into the log's tree
      const ids = await recordVerifiedShift(kit, 'cmn', 3);

      // when an auditor asks for the member's certificate with the verification's position
      const res = await get(
        kit,
        `/audit/members/${ids.member}/certificate?minPosition=${ids.position}`,
        auditor,
      );

      // then it is 504, not a certificate without the verification
      expect(res.status).toBe(504);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(res.body.code).toBe('projection_lagging');
    });
  });
});

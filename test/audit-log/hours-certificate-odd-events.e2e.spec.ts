import { checkCertificate, type HoursCertificate } from '#projections';
import {
  scriptedEvent,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from '../commands/commands-kit.js';
import { auditor, checkpointCoveringAll, get, recordVerifiedShift } from './audit-log-kit.js';

// A script may append to a shift's stream, past the API's gate, an event whose data is not an
// object. The certificate carries it as stored (its hash covers that form), and neither its issuer
// nor its checker can read anything of the shift from it: they pass it over, as every reader does.
describe('an hours certificate over odd events stored past the gate', () => {
  let kit: CommandsKit;

  beforeAll(async () => {
    kit = await startCommandsKit('tlog_cert_odd', { worker: true, auditCheckpointIntervalMs: 50 });
  });
  afterAll(() => kit?.close());

  it('is issued with the event as stored, and checks with the hours of the readable ones', async () => {
    // given a verified shift of 4 hours, and a correction with null data appended straight after it
    const ids = await recordVerifiedShift(kit, 'co', 4);
    const { position } = await kit.store.append(
      `shift-${ids.shiftId}`,
      [
        scriptedEvent(
          '0b7e1f5c-3f0e-4d8e-9a51-6f1d2c3b4a59',
          'ShiftCorrected',
          null as unknown as Record<string, unknown>,
          'script',
        ),
      ],
      { expectedVersion: 'any' },
    );
    await checkpointCoveringAll(kit);
    const key = (await get(kit, '/audit/log/key', auditor)).text.trim();

    // when the volunteer asks for their certificate
    const volunteer = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
    const res = await get(
      kit,
      `/audit/members/${ids.member}/certificate?minPosition=${position}`,
      volunteer,
    );

    // then it holds the odd event as stored, its 4 verified hours, and it checks
    expect(res.status).toBe(200);
    const certificate = res.body as HoursCertificate;
    expect(certificate.verifiedHours).toBe(4);
    const events = certificate.shifts[0]!.events;
    expect(events.map((e) => e.type)).toEqual([
      'ShiftStarted',
      'CitizenAssisted',
      'ShiftEnded',
      'ShiftVerified',
      'ShiftCorrected',
    ]);
    expect(events[4]!.data).toBeNull();
    expect(checkCertificate(certificate, key)).toEqual([]);
  });

  // The gate took `07:30:00,5+07:00` until it asked for a full stop; such events stay in the log. Read
  // with Date.parse, which knows no decimal comma, the certificate gave the shift null hours and its
  // own offline check refused it ("verifiedHours must be a number").
  it('reads instants stored with a decimal comma, as every other reader of the log does', async () => {
    // given a verified shift of 3 hours whose start and end were stored with a decimal comma
    const ids = await seedTree(kit, 'cm');
    const shiftId = 'cm-s1';
    const local = (hoursBack: number) =>
      `${new Date(Date.now() - hoursBack * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 19)},500+07:00`;
    const event = (n: number, type: string, data: Record<string, unknown>) =>
      scriptedEvent(`0b7e1f5c-3f0e-4d8e-9a51-6f1d2c3b4a6${n}`, type, data);
    const { position } = await kit.store.append(
      `shift-${shiftId}`,
      [
        event(0, 'ShiftStarted', {
          shiftId,
          memberId: ids.member,
          campaignId: null,
          location: 'TTHCC',
          startedAt: local(5),
        }),
        event(1, 'ShiftEnded', { shiftId, endedAt: local(2) }),
        event(2, 'ShiftVerified', { shiftId, verifiedBy: 'op-1' }),
      ],
      { expectedVersion: 'no_stream' },
    );
    await checkpointCoveringAll(kit);
    const key = (await get(kit, '/audit/log/key', auditor)).text.trim();

    // when an auditor asks for the member's certificate
    const res = await get(
      kit,
      `/audit/members/${ids.member}/certificate?minPosition=${position}`,
      auditor,
    );

    // then it states the shift's 3 hours, and it checks
    expect(res.status).toBe(200);
    const certificate = res.body as HoursCertificate;
    expect(certificate.shifts.map((s) => [s.shiftId, s.hours])).toEqual([[shiftId, 3]]);
    expect(certificate.verifiedHours).toBe(3);
    expect(checkCertificate(certificate, key)).toEqual([]);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCertificate, type HoursCertificate } from '#projections';
import { run as verify } from '../../apps/cli/src/commands/verify.command.js';
import { generateSignerKey, parseSignerKey } from '#event-store';
import { operator, PROBLEM, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { auditor, checkpointCoveringAll, get, recordVerifiedShift } from './audit-log-kit.js';
import { buildGoChecker } from './go-tlog-check.js';

const clone = (c: HoursCertificate): HoursCertificate => JSON.parse(JSON.stringify(c));

describe('the hours certificate: issued to the volunteer, checked offline', () => {
  let kit: CommandsKit;
  let go: ReturnType<typeof buildGoChecker>;
  let ids: Awaited<ReturnType<typeof recordVerifiedShift>>;
  let key: string;
  let certificate: HoursCertificate;

  beforeAll(async () => {
    go = buildGoChecker();
    kit = await startCommandsKit('tlog_cert', { worker: true, auditCheckpointIntervalMs: 50 });
    ids = await recordVerifiedShift(kit, 'ce', 4);
    await checkpointCoveringAll(kit);
    key = (await get(kit, '/audit/log/key', auditor)).text.trim();
    const volunteer = { sub: ids.member, role: 'volunteer' as const, unitId: ids.branch };
    const res = await get(
      kit,
      `/audit/members/${ids.member}/certificate?minPosition=${ids.position}`,
      volunteer,
    );
    expect(res.status).toBe(200);
    certificate = res.body;
  });

  afterAll(async () => {
    await kit?.close();
    go?.remove();
  });

  it('holds every event of the shift with its proof, and 4 verified hours that check', () => {
    expect(certificate).toMatchObject({ memberId: ids.member, verifiedHours: 4, key });
    expect(certificate.shifts).toHaveLength(1);
    expect(certificate.shifts[0]!.events.map((e) => e.type)).toEqual([
      'ShiftStarted',
      'CitizenAssisted',
      'ShiftEnded',
      'ShiftVerified',
    ]);
    expect(checkCertificate(certificate, key)).toEqual([]);
  });

  it('carries inclusion proofs that Go’s tlog.CheckRecord accepts', () => {
    const inclusions = certificate.shifts[0]!.events.map((e) => ({
      leafIndex: e.leafIndex,
      leafData: Buffer.from(e.hash, 'hex').toString('base64'),
      hashes: e.inclusion,
    }));
    expect(go.check({ key, checkpoint: certificate.checkpoint, inclusions }).ok).toBe(true);
  });

  it('names what fails: changed hours, a changed event, a dropped event, another key', () => {
    const hours = clone(certificate);
    hours.verifiedHours = 40;
    hours.shifts[0]!.hours = 40;
    expect(checkCertificate(hours, key)).toEqual([
      `shift ${ids.shiftId}: hours 40 but its events give 4`,
      'verifiedHours 40 but the events give 4',
    ]);

    const edited = clone(certificate);
    edited.shifts[0]!.events[2]!.data.endedAt = new Date().toISOString();
    expect(checkCertificate(edited, key).join('\n')).toMatch(
      /event 2 .*: chain hash does not match the event's fields/,
    );

    const dropped = clone(certificate);
    dropped.shifts[0]!.events.splice(1, 1);
    expect(checkCertificate(dropped, key).join('\n')).toMatch(/not version 1 of stream/);

    const stranger = parseSignerKey(generateSignerKey('volunteer-campaigns.local/log'));
    expect(checkCertificate(certificate, stranger.verifierKey)).toEqual([
      'checkpoint: no signature by a trusted key',
    ]);
  });

  // Found by probing: the proofs show that each event is in the log and the chain that each follows
  // the one before, not that a shift's events stop where the file stops. A holder who cut the
  // rejection off a shift's end (or a correction and what followed it) held a certificate that
  // checked, of more hours. The issuer now signs each shift's event count and last hash.
  it('names events cut off the end of a shift, which the issuer attested', () => {
    // given the volunteer's certificate with its shift's last event (the verification) cut off
    const cut = clone(certificate);
    cut.shifts[0]!.events.pop();
    cut.verifiedHours = 0;

    // when it is checked, then the cut is named: the issuer signed four events, the file holds three
    const last = certificate.shifts[0]!.events[2]!.hash;
    expect(checkCertificate(cut, key)).toEqual([
      expect.stringContaining(
        `attestation: the issuer signed "shift \\"${ids.shiftId}\\" events 4 last ${certificate.shifts[0]!.events[3]!.hash}" where the certificate gives "shift \\"${ids.shiftId}\\" events 3 last ${last}"`,
      ),
    ]);
    // and a shift left out is named as well
    const without = { ...clone(certificate), shifts: [], verifiedHours: 0 };
    expect(checkCertificate(without, key)).toEqual([
      expect.stringMatching(
        /^attestation: the issuer signed "shift .* where the certificate gives nothing more/,
      ),
    ]);
  });

  it('signs the attestation so that Go’s note.Open accepts it with the log’s key', () => {
    expect(certificate.attestation).toEqual(expect.any(String));
    const checked = go.check({
      key,
      checkpoint: certificate.checkpoint,
      notes: [certificate.attestation],
    });
    expect(checked.ok).toBe(true);
    expect(checked.stdout).toContain('ok note "volunteer hours certificate, version 1"');
  });

  it('still passes a certificate issued before attestations, which cannot show a cut', () => {
    // given a certificate as issued before (no attestation), its last event cut off
    const { attestation: _, ...older } = clone(certificate);
    older.shifts[0]!.events.pop();
    older.verifiedHours = 0;
    // then it passes as it did: what it holds is proved, not that nothing was cut
    expect(checkCertificate(older, key)).toEqual([]);
  });

  it('names a shift whose campaign was edited, which the issuer copies beside its events', () => {
    // given the volunteer's certificate with its shift said to be of a campaign
    const edited = clone(certificate);
    edited.shifts[0]!.campaignId = 'another-campaign';

    // when it is checked, then the edit is named
    expect(checkCertificate(edited, key)).toEqual([
      `shift ${ids.shiftId}: campaignId another-campaign but its ShiftStarted gives null`,
    ]);
  });

  it('refuses a shift listed twice, whose verified hours would otherwise count twice', () => {
    // given the volunteer's certificate with its one verified shift copied, and the hours doubled
    const doubled = clone(certificate);
    doubled.shifts.push(clone(certificate).shifts[0]!);
    doubled.verifiedHours = 8;

    // when it is checked, then the copy is named (every proof in it holds: it is a real shift) and
    // the hours are those of the shift counted once
    expect(checkCertificate(doubled, key)).toEqual([
      expect.stringMatching(
        /^attestation: the issuer signed nothing more where the certificate gives "shift /,
      ),
      `shift ${ids.shiftId}: listed more than once`,
      'verifiedHours 8 but the events give 4',
    ]);
  });

  // Found by probing `verify certificate`: a period that cannot be read compared false with every
  // start, so the check of the period was skipped and the certificate passed as valid.
  it.each([['garbage'], ['2025-08-10 09:00'], [42], [undefined]])(
    'refuses a period bound it cannot read (%j), which skipped the period check',
    (bound) => {
      // given the volunteer's certificate whose `to` is edited into something that is not an instant
      const edited = { ...clone(certificate), to: bound } as unknown as HoursCertificate;

      // when it is checked, then that bound is named, not passed over
      expect(checkCertificate(edited, key)).toEqual([
        `to ${JSON.stringify(bound)} is neither null nor an instant with an offset`,
      ]);
      // and a readable period still holds the shift to it
      const before = { ...clone(certificate), to: '2000-01-01T00:00:00+07:00' };
      expect(checkCertificate(before, key)).toEqual([
        expect.stringMatching(
          /^attestation: the issuer signed "member .* to null" where the certificate gives "member .* to \\"2000-01-01/,
        ),
        `shift ${ids.shiftId}: does not start within the certificate's period`,
      ]);
    },
  );

  // Found by probing `verify certificate` with edited files: a missing array stopped the check on
  // "Cannot read properties of undefined (reading 'forEach')", and a leaf index written as a string
  // or proof hashes with junk after their base64 passed, where Go's tlog refuses them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a file edited by hand, read loosely
  type Edit = (c: Record<string, any>) => void;
  it.each<[string, Edit, string]>([
    ['shifts missing', (c) => delete c.shifts, 'shifts must be an array'],
    ['events missing', (c) => delete c.shifts[0].events, 'shifts[0].events must be an array'],
    [
      'an event null',
      (c) => (c.shifts[0].events[1] = null),
      'shifts[0].events[1] must be an object',
    ],
    [
      'a leaf index as a string',
      (c) => (c.shifts[0].events[0].leafIndex = String(c.shifts[0].events[0].leafIndex)),
      'shifts[0].events[0].leafIndex must be a whole number, 0 or more',
    ],
    [
      'junk after a proof hash',
      (c) => (c.shifts[0].events[2].inclusion[0] += '!!'),
      'shifts[0].events[2].inclusion must be an array of hashes, each 32 bytes in standard base64',
    ],
    [
      'a hash in capitals',
      (c) => (c.shifts[0].events[0].hash = c.shifts[0].events[0].hash.toUpperCase()),
      'shifts[0].events[0].hash must be 64 lowercase hex digits',
    ],
  ])('refuses a certificate with %s, naming the field', (_, edit, named) => {
    // given the volunteer's certificate, edited by hand
    const edited = clone(certificate) as unknown as Record<string, unknown>;
    edit(edited);

    // when it is checked, then the field is named before anything is read from it
    expect(checkCertificate(edited as unknown as HoursCertificate, key)).toEqual([
      `malformed certificate: ${named}`,
    ]);
  });

  it.each([[[]], [null], ['text']])('refuses %j, not a certificate at all', (given) => {
    expect(checkCertificate(given as unknown as HoursCertificate, key)).toEqual([
      'malformed certificate: the certificate is not a JSON object',
    ]);
  });

  it('checks offline from the command line: exit 0 when all holds, 1 naming what failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlog-cert-'));
    const out: string[] = [];
    const stdout = process.stdout.write;
    process.stdout.write = ((text: string) => out.push(String(text)) > 0) as typeof stdout;
    try {
      writeFileSync(join(dir, 'good.json'), JSON.stringify(certificate));
      const forged = clone(certificate);
      forged.verifiedHours = 8;
      writeFileSync(join(dir, 'forged.json'), JSON.stringify(forged));
      const good = await verify(['certificate', join(dir, 'good.json'), '--key', key]);
      const bad = await verify(['certificate', join(dir, 'forged.json'), '--key', key]);
      expect([good, bad]).toEqual([0, 1]);
    } finally {
      process.stdout.write = stdout;
      rmSync(dir, { recursive: true, force: true });
    }
    expect(out[0]).toMatch(/^OK member ce-m1: 4 verified hours over 1 shift; 4 events/);
    expect(out[0]).toMatch(/; each shift's events as many as the issuer attested\n$/);
    expect(out[1]).toBe('FAILED verifiedHours 8 but the events give 4\n');
  });

  it('is the volunteer’s own: another volunteer gets 403, a viewer 403, an auditor the same', async () => {
    const other = await get(kit, `/audit/members/${ids.member}/certificate`, {
      sub: ids.other,
      role: 'volunteer',
      unitId: ids.branch,
    });
    expect(other.status).toBe(403);
    const viewer = await get(kit, `/audit/members/${ids.member}/certificate`, {
      sub: 'v',
      role: 'viewer',
    });
    expect(viewer.status).toBe(403);
    const audited = await get(kit, `/audit/members/${ids.member}/certificate`, auditor);
    expect(audited.body.verifiedHours).toBe(4);
    const op = await get(
      kit,
      `/audit/members/${ids.member}/certificate?from=2000-01-01&to=2000-01-02`,
      operator,
    );
    expect(op.body).toMatchObject({ verifiedHours: 0, shifts: [] });
  });

  // Every other read takes ?snapshot= (API.md "Snapshots"); this one is not read from a read model,
  // so a snapshot asked for would be ignored and the present certified as if it were the past.
  it('refuses ?snapshot=, naming it: a certificate is built from the signed log', async () => {
    // when an auditor asks for the certificate as of a snapshot
    const res = await get(kit, `/audit/members/${ids.member}/certificate?snapshot=s1`, auditor);

    // then 400 names the parameter and says why
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([
      { field: 'snapshot', message: expect.stringContaining('built from the signed log') },
    ]);
    // and the period keeps its own rules
    const period = await get(kit, `/audit/members/${ids.member}/certificate?from=May`, auditor);
    expect(period.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });

  it('is issued for an erased member and still checks, with no personal data in it', async () => {
    // given another member with a verified shift, whose personal data is then erased
    const erased = await recordVerifiedShift(kit, 'cx', 3);
    const { position } = await kit.record(
      `/members/${erased.member}/personal-data`,
      undefined,
      'delete',
    );
    await checkpointCoveringAll(kit);

    // when an auditor asks for the member's certificate
    const res = await get(
      kit,
      `/audit/members/${erased.member}/certificate?minPosition=${position}`,
      auditor,
    );

    // then it is issued and checks, and neither the name nor any sealed form of it is in the file
    expect(res.status).toBe(200);
    expect(checkCertificate(res.body as HoursCertificate, key)).toEqual([]);
    expect(res.body).toMatchObject({ memberId: erased.member, verifiedHours: 3 });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('Nguyễn Văn An');
    expect(text).not.toContain('Nguy');
    expect(text).not.toMatch(/displayName/);
  });
});

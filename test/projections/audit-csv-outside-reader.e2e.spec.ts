import request from 'supertest';
import { run as exportCommand } from '../../apps/cli/src/commands/export.command.js';
import { hoursAgo, startCommandsKit, type CommandsKit } from '../commands/commands-kit.js';
import { runCliInProcess } from '../harness/cli-in-process.js';
import { buildGoProgram } from '../harness/go-program.js';

type Read = { bom: boolean; crlf: boolean; records: string[][] };

/**
 * Auditors open the audit CSVs (GET /audit/members/:id/hours as text/csv, and `export audit`) in
 * spreadsheets and read them with scripts, so a reader nobody here wrote checks ours: Go's
 * encoding/csv in its strict mode (test/csv-check), which refuses a stray quote and a record with
 * another number of fields than the header. What people typed (names, places, reasons) carries
 * quotes, commas, line breaks and Vietnamese: each must come back as one cell, as typed, a
 * formula-like start behind the quote that makes a spreadsheet show it as text.
 */
describe('the audit CSVs, read by an outside CSV reader', () => {
  const displayName = 'Nguyễn Văn "Tí", Chi đoàn 1\nhàng hai';
  const location = 'Nhà văn hóa, khu phố 3';
  const correction = 'Giờ sai, đã sửa: "ca sáng"\nxem lại';
  const rejection = '=1+1, "không có mặt"';
  let kit: CommandsKit;
  let goCsv: ReturnType<typeof buildGoProgram>;
  let position = 0;
  const record = async (path: string, body: object) => {
    position = (await kit.record(path, body)).position;
  };

  const read = (csv: string, args: string[] = []): Read => {
    const run = goCsv.run(csv, args);
    if (!run.ok) throw new Error(`Go's encoding/csv refused the CSV: ${run.stderr}\n${csv}`);
    return JSON.parse(run.stdout) as Read;
  };
  const column = (records: string[][], name: string) => {
    const index = records[0]!.indexOf(name);
    if (index < 0) throw new Error(`no column ${name} in ${records[0]!.join(', ')}`);
    return index;
  };

  beforeAll(async () => {
    goCsv = buildGoProgram('test/csv-check', "the audit CSVs are read with Go's encoding/csv");
    kit = await startCommandsKit('audit_csv_reader', { worker: true });
    // a member whose name has a quote, a comma and a line break; a shift corrected and verified,
    // another rejected with a reason that begins like a formula
    await record('/units', { id: 'csv-ward', name: 'Đoàn phường "Bến Nghé", Q.1', kind: 'ward' });
    await record('/members', { id: 'csv-m', unitId: 'csv-ward', displayName });
    await record('/shifts', { id: 'csv-s1', memberId: 'csv-m', location, startedAt: hoursAgo(6) });
    await record('/shifts/csv-s1/end', { endedAt: hoursAgo(4) });
    await record('/shifts/csv-s1/corrections', { endedAt: hoursAgo(5), reason: correction });
    await record('/shifts/csv-s1/verify', {});
    await record('/shifts', { id: 'csv-s2', memberId: 'csv-m', location, startedAt: hoursAgo(3) });
    await record('/shifts/csv-s2/end', { endedAt: hoursAgo(2) });
    await record('/shifts/csv-s2/reject', { reason: rejection });
  });
  afterAll(async () => {
    goCsv?.remove();
    await kit?.close();
  });

  it('reads the hours route as the JSON answer says, one cell per value', async () => {
    // when the member's hours are asked for as JSON and as CSV
    const ask = async (accept: string) =>
      request(kit.server)
        .get(`/audit/members/csv-m/hours?minPosition=${position}`)
        .set('Authorization', await kit.bearer({ sub: 'aud', role: 'auditor' }))
        .set('Accept', accept);
    const json = await ask('application/json');
    const csv = await ask('text/csv');
    expect(csv.status).toBe(200);

    // then the outside reader finds a byte-order mark (Excel reads Vietnamese as UTF-8 only after
    // one), the header's fields in every row, CR LF line ends,
    const { records, crlf, bom } = read(csv.text);
    expect(bom).toBe(true);
    expect(crlf).toBe(true);
    const rows = records.slice(1);
    expect(rows.map((row) => row[column(records, 'shiftId')])).toEqual(
      json.body.shifts.map((shift: { shiftId: string }) => shift.shiftId),
    );
    // and the name and the correction as typed
    for (const row of rows) expect(row[column(records, 'displayName')]).toBe(displayName);
    const corrected = rows.find((row) => row[column(records, 'shiftId')] === 'csv-s1')!;
    expect(corrected[column(records, 'corrections')]).toMatch(
      new RegExp(`^${correction.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(op-1 `),
    );
  });

  it('reads the export with its byte-order mark, every row as wide as the header', async () => {
    // given the read models caught up with the commands
    const caughtUp = await request(kit.server)
      .get(`/audit/members/csv-m/hours?minPosition=${position}`)
      .set('Authorization', await kit.bearer({ sub: 'aud', role: 'auditor' }));
    expect(caughtUp.status).toBe(200);

    // when the member's audit trail is exported as CSV
    const exported = await runCliInProcess(
      exportCommand,
      ['audit', '--member', 'csv-m', '--format', 'csv'],
      { DATABASE_URL: kit.databaseUrl },
    );
    expect(exported.code).toBe(0);

    // then Go's strict reader takes it (a shorter shift or totals row would be refused),
    const { records, bom, crlf } = read(exported.out);
    expect(bom).toBe(true);
    expect(crlf).toBe(true);
    const kinds = records.slice(1).map((row) => row[0]);
    expect(kinds).toEqual(['shift', 'correction', 'shift', 'total']);
    // and each typed text is one cell as typed, the formula-like reason behind its quote
    const [, s1, c1, s2] = records;
    expect(s1![column(records, 'Member')]).toBe(displayName);
    expect(s1![column(records, 'Location')]).toBe(location);
    expect(s1![column(records, 'Unit')]).toBe('Đoàn phường "Bến Nghé", Q.1');
    expect(c1![column(records, 'Correction reason')]).toBe(correction);
    expect(s2![column(records, 'Rejection reason')]).toBe(`'${rejection}`);
  });

  it("keeps a formula after a ';' a field of text for a spreadsheet in a ';' locale", async () => {
    // given a shift whose place, and a rejection whose reason, hold a ';' then a formula, and a
    // correction whose reason has one on its second line
    const place = 'Nhà văn hóa;=HYPERLINK("http://evil.example","Mở")';
    const reason = "không có mặt;+cmd|' /C calc'!A0";
    await record('/members', { id: 'csv-semi', unitId: 'csv-ward', displayName: 'Lê Văn Cường' });
    await record('/shifts', {
      id: 'csv-s3',
      memberId: 'csv-semi',
      location: place,
      startedAt: hoursAgo(6),
    });
    await record('/shifts/csv-s3/end', { endedAt: hoursAgo(5) });
    await record('/shifts/csv-s3/corrections', {
      endedAt: hoursAgo(5.5),
      reason: 'sai giờ\n@SUM(1)',
    });
    await record('/shifts/csv-s3/reject', { reason });
    const hours = await request(kit.server)
      .get(`/audit/members/csv-semi/hours?minPosition=${position}`)
      .set('Authorization', await kit.bearer({ sub: 'aud', role: 'auditor' }))
      .set('Accept', 'text/csv');
    expect(hours.status).toBe(200);

    // when the export and the hours route are read as Excel reads them with ';' as its separator
    const exported = await runCliInProcess(
      exportCommand,
      ['audit', '--member', 'csv-semi', '--format', 'csv'],
      { DATABASE_URL: kit.databaseUrl },
    );
    expect(exported.code).toBe(0);
    for (const csv of [exported.out, hours.text]) {
      const fields = read(csv, ['-semicolon']).records.flat();
      // then no field it finds begins like a formula (past the quotes it may take as an empty field)
      expect(fields.filter((field) => /^"*[=+\-@\t\r]/.test(field))).toEqual([]);
    }
    // and the comma reader still reads each as one cell, the formula behind its quote
    const records = read(exported.out).records;
    expect(records[1]![column(records, 'Location')]).toBe(
      `Nhà văn hóa;'=HYPERLINK("http://evil.example","Mở")`,
    );
    expect(records[1]![column(records, 'Rejection reason')]).toBe(
      "không có mặt;'+cmd|' /C calc'!A0",
    );
  });
});

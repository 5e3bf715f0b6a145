import { auditHoursCsv, type AuditHours } from './audit-hours.query.js';

// The CSV of GET /audit/members/:id/hours (Accept: text/csv) is opened in a spreadsheet by auditors:
// the names and reasons volunteers and coordinators typed must reach it as text, not as formulas.
describe('the audit hours CSV', () => {
  const report: AuditHours = {
    memberId: 'm-1',
    displayName: '=HYPERLINK("http://evil.example","open me")',
    erased: false,
    from: null,
    to: null,
    verifiedHours: 0,
    pendingHours: 1,
    rejectedHours: 0,
    shifts: [
      {
        shiftId: 's-1',
        campaignId: null,
        startedAt: '2026-11-29T00:00:00.000Z',
        endedAt: '2026-11-29T01:00:00.000Z',
        hours: 1,
        status: 'pending',
        overdue: false,
        recordedBy: 'm-1',
        recordedAt: '2026-11-29T01:00:00.000Z',
        verifiedBy: null,
        verifiedAt: null,
        rejectedBy: null,
        rejectedReason: null,
        corrections: [
          {
            reason: '@SUM(1+1)*cmd|calc',
            by: 'c-1',
            at: '2026-11-29T02:00:00.000Z',
            before: { startedAt: '2026-11-29T00:00:00.000Z', endedAt: '2026-11-29T02:00:00.000Z' },
            after: { startedAt: '2026-11-29T00:00:00.000Z', endedAt: '2026-11-29T01:00:00.000Z' },
          },
        ],
        events: [],
      },
    ],
  };

  it('writes a name or a reason that begins like a formula as text', () => {
    // given a member whose name, and a correction whose reason, begin with = and @
    // when the report is written as CSV
    const [, line] = auditHoursCsv(report).split('\r\n');

    // then each of those cells starts with the quote that makes a spreadsheet show it as text
    expect(line).toContain(`"'=HYPERLINK(""http://evil.example"",""open me"")"`);
    expect(line).toContain(`,'@SUM(1+1)*cmd|calc (c-1 `);
  });

  it('begins with a byte-order mark, so that a spreadsheet reads the names as UTF-8', () => {
    // given a member with a Vietnamese name
    const csv = auditHoursCsv({ ...report, displayName: 'Nguyễn Thị Ánh Tuyết' });

    // when the report is written as CSV, then it begins with the UTF-8 BOM (Excel reads a file
    // without one in the machine's ANSI code page: "Nguyá»…n") and then the header
    expect(csv.startsWith('\uFEFFmemberId,displayName,')).toBe(true);
    expect(csv.indexOf('\uFEFF', 1)).toBe(-1);
  });
});

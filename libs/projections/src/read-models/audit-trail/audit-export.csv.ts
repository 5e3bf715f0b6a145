import { DateTime } from 'luxon';
import type { AuditExportShift } from './audit-export.query.js';
import { csvDocument, csvLines } from './csv-cell.js';
import { round2 } from '../volunteer-activity/campaign-time.sql.js';

/** The shifts of an export with names opened (null once erased). */
export type OpenedExportShift = Omit<AuditExportShift, 'displayName'> & {
  displayName: string | null;
};

export type AuditExportTotals = {
  shifts: number;
  citizens: number;
  verifiedHours: number;
  pendingHours: number;
  rejectedHours: number;
};

const ERASED = '(erased)';

/**
 * A shift's hours as an export shows them, to the hundredth. Totals add the exact hours and round once,
 * as GET /audit/members/:id/hours does: adding the shown ones put three 20-minute shifts at 0.99 h
 * where the route, the leaderboards and the certificate say 1 h.
 */
export const roundHours = (hours: number | null): number | null =>
  hours === null ? null : round2(hours);

/** An instant as the people who worked it read a clock: local time with its offset. */
export function localTime(instant: string | null, zone: string): string {
  if (!instant) return '';
  const local = DateTime.fromISO(instant, { zone });
  return local.isValid ? local.toFormat('yyyy-MM-dd HH:mm:ss ZZ') : instant;
}

/**
 * The same instant for a program (`export audit --format json`): ISO 8601 in local time with its
 * offset, as API.md writes instants, and null when there is none (a spreadsheet's empty cell is
 * `localTime`'s business).
 */
export function localInstant(instant: string | null, zone: string): string | null {
  if (!instant) return null;
  const local = DateTime.fromISO(instant, { zone });
  return local.isValid ? local.toISO({ suppressMilliseconds: true }) : instant;
}

/**
 * Totals of an export read a page at a time: each status's exact hours added in the order of the
 * shifts and rounded once at the end, so that a paged export totals exactly as one read whole did.
 */
export class ExportTotals {
  private shifts = 0;
  private citizens = 0;
  private readonly hours = { verified: 0, pending: 0, rejected: 0 };

  add(shifts: readonly OpenedExportShift[]): this {
    for (const s of shifts) {
      this.shifts += 1;
      this.citizens += s.citizens;
      if (s.status in this.hours) this.hours[s.status as keyof typeof this.hours] += s.hours ?? 0;
    }
    return this;
  }

  get count(): number {
    return this.shifts;
  }

  totals(): AuditExportTotals {
    return {
      shifts: this.shifts,
      citizens: this.citizens,
      verifiedHours: round2(this.hours.verified),
      pendingHours: round2(this.hours.pending),
      rejectedHours: round2(this.hours.rejected),
    };
  }
}

const HEADER = [
  'Row',
  'Shift id',
  'Member id',
  'Member',
  'Unit',
  'Campaign',
  'Location',
  'Started',
  'Ended',
  'Hours',
  'Citizens assisted',
  'Status',
  'Recorded by',
  'Recorded at',
  'Verified by',
  'Verified at',
  'Rejected by',
  'Rejection reason',
  'Correction reason',
  'Corrected by',
  'Corrected at',
  'Before',
  'After',
];

/** Every row as wide as the header (RFC 4180): a strict reader refuses a shorter one. */
const padded = (lines: readonly (readonly unknown[])[]) =>
  lines.map((line) => [...line, ...Array(HEADER.length - line.length).fill('')]);

/**
 * The export as a spreadsheet opens it: UTF-8 with a byte-order mark (Excel otherwise garbles
 * Vietnamese names), CRLF line ends, one row per shift with its corrections in rows of their own
 * beneath it, and a totals row last, each as wide as the header. Times are local with their
 * offset: `zone` when the operator named one, else each shift's campaign's zone, else `fallbackZone`.
 * Written in parts, a page of shifts at a time (an export is never held whole): this header, then
 * `auditExportCsvRows` of each page, then `auditExportCsvTotal`.
 */
export function auditExportCsvHeader(): string {
  return csvDocument([HEADER]);
}

/** The rows of these shifts, each with its corrections beneath it. */
export function auditExportCsvRows(
  shifts: readonly OpenedExportShift[],
  zones: Readonly<{ zone?: string; fallbackZone: string }>,
): string {
  const lines: unknown[][] = [];
  for (const s of shifts) {
    const zone = zones.zone ?? s.campaignTimezone ?? zones.fallbackZone;
    const at = (instant: string | null) => localTime(instant, zone);
    lines.push([
      'shift',
      s.shiftId,
      s.memberId,
      s.erased ? ERASED : (s.displayName ?? ERASED),
      s.unitName ?? s.unitId,
      s.campaignName ?? s.campaignId,
      s.location,
      at(s.startedAt),
      at(s.endedAt),
      roundHours(s.hours),
      s.citizens,
      s.status,
      s.recordedBy,
      at(s.recordedAt),
      s.verifiedBy,
      at(s.verifiedAt),
      s.rejectedBy,
      s.rejectedReason,
    ]);
    for (const c of s.corrections) {
      const span = (p: { startedAt: string | null; endedAt: string | null }) =>
        `${at(p.startedAt)} – ${at(p.endedAt)}`;
      lines.push([
        'correction',
        s.shiftId,
        s.memberId,
        ...Array(15).fill(''),
        c.reason,
        c.by,
        at(c.at),
        span(c.before),
        span(c.after),
      ]);
    }
  }
  return csvLines(padded(lines));
}

/** The totals row, last. */
export function auditExportCsvTotal(t: AuditExportTotals): string {
  return csvLines(
    padded([
      [
        'total',
        `${t.shifts} shifts`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        round2(t.verifiedHours + t.pendingHours),
        t.citizens,
        `verified ${t.verifiedHours} h; pending ${t.pendingHours} h; rejected ${t.rejectedHours} h`,
      ],
    ]),
  );
}

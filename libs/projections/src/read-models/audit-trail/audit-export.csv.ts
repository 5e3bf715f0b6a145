import { DateTime } from 'luxon';
import type { AuditExportShift } from './audit-export.query.js';
import { csvDocument } from './csv-cell.js';
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

export function exportTotals(shifts: readonly OpenedExportShift[]): AuditExportTotals {
  const hoursIn = (status: string) =>
    round2(shifts.filter((s) => s.status === status).reduce((sum, s) => sum + (s.hours ?? 0), 0));
  return {
    shifts: shifts.length,
    citizens: shifts.reduce((sum, s) => sum + s.citizens, 0),
    verifiedHours: hoursIn('verified'),
    pendingHours: hoursIn('pending'),
    rejectedHours: hoursIn('rejected'),
  };
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

/**
 * The export as a spreadsheet opens it: UTF-8 with a byte-order mark (Excel otherwise garbles
 * Vietnamese names), CRLF line ends, one row per shift with its corrections in rows of their own
 * beneath it, and a totals row last, each as wide as the header. Times are local with their
 * offset: `zone` when the operator named one, else each shift's campaign's zone, else `fallbackZone`.
 */
export function auditExportCsv(
  shifts: readonly OpenedExportShift[],
  zones: Readonly<{ zone?: string; fallbackZone: string }>,
): string {
  const lines: unknown[][] = [HEADER];
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
  const t = exportTotals(shifts);
  lines.push([
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
  ]);
  // Every row as wide as the header (RFC 4180): a strict reader refuses a shorter one.
  const padded = lines.map((line) => [...line, ...Array(HEADER.length - line.length).fill('')]);
  return csvDocument(padded);
}

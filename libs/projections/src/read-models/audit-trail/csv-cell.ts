/**
 * One CSV cell (RFC 4180) that a spreadsheet shows as text. Auditors open these files in Excel or
 * LibreOffice, which run a cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return
 * before one) as a formula: a member named `=HYPERLINK(...)` or a correction reason would then run
 * on the auditor's machine (OWASP, "CSV Injection"). Such a cell gets a leading `'`, which the
 * spreadsheet shows as text; a plain number such as `-1.5` is left as it is.
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d+(\.\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

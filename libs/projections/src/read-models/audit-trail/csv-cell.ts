/** What a spreadsheet runs as a formula when a field begins with it (or with a tab or CR before one). */
const formulaStart = /^[=+\-@\t\r]/;
const plainNumber = /^-?\d+(\.\d+)?$/;
/**
 * Where a spreadsheet in a `;` locale starts a field, or a row, inside one of our cells: after a `;`
 * or a line break (or a tab, where a paste or a tab-separated import splits), past any quotes (read
 * as an empty quoted field), before a formula's first character, unless what follows up to the next
 * such break is a plain number.
 */
const fieldStartWithin = /([;\t\r\n]"*)(?=[=+\-@\t\r])(?!-?\d+(?:\.\d+)?(?:[;\t\r\n]|$))/g;

/**
 * One CSV cell (RFC 4180) that a spreadsheet shows as text. Auditors open these files in Excel or
 * LibreOffice, which run a cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return
 * before one) as a formula: a member named `=HYPERLINK(...)` or a correction reason would then run
 * on the auditor's machine (OWASP, "CSV Injection"). Such a cell gets a leading `'`, which the
 * spreadsheet shows as text; a plain number such as `-1.5` is left as it is.
 *
 * Excel splits on the reader's list separator, which is `;` where the decimal mark is a comma (de,
 * fr, vi-VN…), and there our commas and quotes are plain characters: `x;=cmd` in a cell is a field
 * `=cmd` of its own, and so is a line after a break or a part after a tab. The same `'` goes before
 * each of those.
 */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const leading = formulaStart.test(text) && !plainNumber.test(text) ? `'${text}` : text;
  const safe = leading.replace(fieldStartWithin, "$1'");
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * A CSV file as a spreadsheet opens it: UTF-8 with a byte-order mark (Excel reads a file without one
 * in the machine's ANSI code page and garbles Vietnamese names), CR LF line ends (RFC 4180), every
 * cell through `csvCell`.
 */
export function csvDocument(rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${csvLines(rows)}`;
}

/** Rows of a `csvDocument` without its byte-order mark, each ending CR LF: a part of a file written a page at a time. */
export function csvLines(rows: readonly (readonly unknown[])[]): string {
  return rows.map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

/**
 * Control and format characters (C0, C1, bidirectional and other invisible ones, line and paragraph
 * separators) and lone surrogates.
 */
const actedOn = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Text that came from outside the program (a certificate file someone handed over, an error quoting
 * it) as a terminal shows it without acting on it: each control or format character
 * written as its escape (`\u001B`). Printed raw, a carriage return or an escape sequence in an id
 * redraws the line, so that "OK … 120 verified hours" can stand over what the command printed, and
 * a bidirectional override reorders the rest of it.
 */
export function terminalText(text: string): string {
  return text.replace(actedOn, (char) => {
    const code = char.codePointAt(0)!.toString(16).toUpperCase();
    return code.length <= 4 ? `\\u${code.padStart(4, '0')}` : `\\u{${code}}`;
  });
}

/**
 * `terminalText` of a text of several lines, its line breaks (`\n`, `\r\n`) kept: an export printed
 * to a terminal reads as rows, with every other control character shown as its escape.
 */
export function terminalLines(text: string): string {
  return text
    .split(/(\r?\n)/)
    .map((part, i) => (i % 2 ? part : terminalText(part)))
    .join('');
}

/**
 * `terminalLines` of CSV rows (RFC 4180), a quoted cell shown whole by `terminalText`, its line breaks
 * too: only the rows' own breaks are printed as breaks. A name may hold a line break, and what it held
 * after one stood on a terminal line of its own, where it read as a row of the export.
 */
export function terminalCsv(rows: string): string {
  return rows.replace(/"(?:[^"]|"")*"|[^"]+/g, (part) =>
    part.startsWith('"') ? terminalText(part) : terminalLines(part),
  );
}

import { csvCell } from './csv-cell.js';

describe('a CSV cell of an audit file', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+cmd|calc', "'+cmd|calc"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['\t=1+1', "'\t'=1+1"],
  ])('shows %j as text, not as a formula', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    [-1.5, '-1.5'],
    [12, '12'],
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['a, "b"', '"a, ""b"""'],
    [null, ''],
  ])('leaves %j as it is, quoted only where RFC 4180 needs it', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  // Excel splits a CSV on the list separator of the reader's locale: `;` where the decimal mark is a
  // comma (de, fr, vi-VN…), and there a quote opens a field only at a field's start. So in
  // `a,"x;=cmd"` the comma and the quote are plain characters, and `=cmd"` after the `;` is a field
  // of its own, run as a formula; a line break ends the row the same way. Quotes before it may be
  // taken as an empty quoted field and the rest read on.
  const semicolonFields = (line: string) => line.split(/[;\r\n]/).map((f) => f.replace(/^"+/, ''));

  it.each([
    'Nguyễn Văn An;=HYPERLINK("http://evil.example","mở")',
    "ca sáng;+cmd|' /C calc'!A0",
    'lý do;"@SUM(1+1)',
    'dòng một\n=1+1',
    'dòng một\r\n-2+3;\t=1',
  ])('writes %j so that a reader splitting on ";" finds no formula either', (value) => {
    // given a text holding a separator of a ";" locale, or a line break, before a formula
    // when it is written as a cell between two others
    const line = `shift,${csvCell(value)},1.5`;

    // then no field a ";" reader finds begins like a formula
    for (const field of semicolonFields(line)) expect(field).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('writes a formula after a tab as text, where a paste or a tab-separated import splits', () => {
    // given a reason with a tab before a formula (tab is text the gate lets in)
    const cell = csvCell('giờ sai\t=HYPERLINK("http://evil.example")');
    // when a spreadsheet splits the cell on tabs, then no part begins like a formula
    for (const part of cell.split('\t').map((f) => f.replace(/^"+/, ''))) {
      expect(part).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('leaves a number after a ";" as it is', () => {
    expect(csvCell('ca 1;-1.5')).toBe('ca 1;-1.5');
  });
});

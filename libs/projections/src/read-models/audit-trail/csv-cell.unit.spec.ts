import { csvCell } from './csv-cell.js';

describe('a CSV cell of an audit file', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+cmd|calc', "'+cmd|calc"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-2+3', "'-2+3"],
    ['\t=1+1', "'\t=1+1"],
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
});

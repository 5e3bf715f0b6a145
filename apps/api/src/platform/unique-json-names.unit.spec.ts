import { duplicateName } from './unique-json-names.js';

describe('duplicateName finds a name given twice in one object of a JSON text', () => {
  it.each([
    ['at the top', '{"id":"a","name":"x","id":"b"}', 'id'],
    [
      'nested, named by its path',
      '{"dailyWindow":{"from":"07:00","from":"23:00","to":"22:00"}}',
      'dailyWindow.from',
    ],
    ['inside an array, named by index', '{"tags":[{"x":1},{"x":1,"x":2}]}', 'tags.1.x'],
    ['written with an escape', '{"name":"a","\\u006eame":"b"}', 'name'],
    [
      'after strings holding braces, quotes and commas',
      '{"a":"{\\"a\\":1,}","b":["]",","],"a":2}',
      'a',
    ],
    ['after a byte order mark', '\uFEFF{"k":1,"k":2}', 'k'],
  ])('%s', (_what, text, field) => {
    // given a text JSON.parse takes (keeping the last value); when it is scanned
    expect(() => JSON.parse(text.replace(/^\uFEFF/, ''))).not.toThrow();
    // then the duplicated name is found, by its path
    expect(duplicateName(text)).toBe(field);
  });

  it.each([
    ['the same name in sibling objects', '{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}'],
    ['a value equal to a name', '{"name":"name","kind":"name"}'],
    ['names differing only in case or form', '{"Name":1,"name":2,"e\u0301":3,"\u00e9":4}'],
    ['no object at all', '["a","a"]'],
    ['an unbalanced text, left to the parser', '}{"a":1,"a":2'],
  ])('and nothing in %s', (_what, text) => {
    expect(duplicateName(text)).toBeUndefined();
  });
});

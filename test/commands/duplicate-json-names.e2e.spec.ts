import { operator, PROBLEM, startCommandsKit, type CommandsKit } from './commands-kit.js';

// Found by probing the API as an attacker: `{"id":"dupA","id":"dupB",…}` answered 201 and recorded
// unit dupB, JSON.parse keeping the last value, while a proxy, a log or an auditor reading the same
// body may keep the first. RFC 8259 §4 leaves such a text's meaning to each parser and I-JSON (RFC 7493
// §2.3) forbids it; API.md: a malformed or invalid body is a 400 naming the field, and records nothing.
describe('a JSON body that gives a name twice in one object is refused with 400 naming it', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('duplicate_json_names');
  });
  afterAll(async () => {
    await kit?.close();
  });

  // fetch sends the text as it is (supertest would serialise an object, which cannot hold a name twice)
  const post = async (path: string, text: string) => {
    const res = await fetch(`${await kit.url()}${path}`, {
      method: 'POST',
      headers: { Authorization: await kit.bearer(operator), 'Content-Type': 'application/json' },
      body: text,
    });
    return {
      status: res.status,
      contentType: res.headers.get('content-type'),
      body: (await res.json()) as { type?: string; errors?: { field: string }[] },
    };
  };

  it.each([
    ['the id', '/units', '{"id":"dup-a","name":"Ward","kind":"ward","id":"dup-b"}', 'id'],
    [
      'a name written with an escape',
      '/units',
      '{"id":"dup-c","name":"A","\\u006eame":"B","kind":"ward"}',
      'name',
    ],
    [
      'a nested field',
      '/campaigns',
      '{"id":"dup-d","unitId":"nowhere","name":"C","startDate":"2025-09-01","endDate":"2025-09-05","dailyWindow":{"from":"07:00","to":"22:00","from":"23:00"}}',
      'dailyWindow.from',
    ],
  ])('%s', async (_what, path, text, field) => {
    // given a log; when a body gives that name twice
    const before = await kit.totalEvents();
    const res = await post(path, text);

    // then the answer is a 400 problem naming the field, and nothing was recorded
    expect(res.status).toBe(400);
    expect(res.contentType).toMatch(PROBLEM);
    expect(res.body.type).toMatch(/\/problems\/validation-failed$/);
    expect(res.body.errors?.map((e) => e.field)).toEqual([field]);
    expect(await kit.totalEvents()).toBe(before);
  });

  it('still takes a body whose nested objects share names, and a malformed one stays malformed', async () => {
    // given a body whose names repeat only across objects, and one cut short after a duplicate
    const fine = await post('/units', '{"id":"dup-e","name":"kind","kind":"ward"}');
    const cut = await post('/units', '{"id":"dup-f","id":"dup-g"');

    // then the first is recorded, and the second is refused as JSON that is not
    expect(fine.status).toBe(201);
    expect(cut.status).toBe(400);
    expect(cut.body.type).toMatch(/\/problems\/malformed-json$/);
  });
});

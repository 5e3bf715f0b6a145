import { operator, PROBLEM, startCommandsKit, type CommandsKit } from './commands-kit.js';

// Found by fuzzing the API with hand-made bodies: bytes that are not UTF-8 inside a JSON string were
// decoded to U+FFFD and recorded (201), so the log held a name nobody sent. RFC 8259 §8.1: JSON sent
// as UTF-8 is UTF-8; API.md: a malformed body is a 400 problem and records nothing.
describe('a JSON body that is not valid UTF-8 is refused with 400 and records nothing', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('malformed_utf8');
  });
  afterAll(async () => {
    await kit?.close();
  });

  // fetch sends the bytes as they are (supertest would serialise a Buffer as JSON)
  const postBytes = async (bytes: Buffer, contentType = 'application/json') => {
    const res = await fetch(`${await kit.url()}/units`, {
      method: 'POST',
      headers: { Authorization: await kit.bearer(operator), 'Content-Type': contentType },
      body: bytes,
    });
    return {
      status: res.status,
      headers: { 'content-type': res.headers.get('content-type') },
      body: (await res.json()) as { type?: string; detail?: string },
    };
  };
  const unit = (name: Buffer) =>
    Buffer.concat([Buffer.from('{"name":"'), name, Buffer.from('","kind":"province"}')]);

  it.each([
    ['a byte no UTF-8 sequence starts with', [0xff, 0xfe]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a sequence cut short', [0x41, 0xe1, 0xba]],
  ])('%s', async (_what, bytes) => {
    // given a log; when a unit is registered with a name holding those bytes
    const before = await kit.totalEvents();
    const res = await postBytes(unit(Buffer.from(bytes)));

    // then the answer is a 400 problem saying the body is malformed, and nothing was recorded
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.type).toMatch(/\/problems\/malformed-json$/);
    expect(res.body.detail).toContain('UTF-8');
    expect(await kit.totalEvents()).toBe(before);
  });

  it('still records a name in well-formed UTF-8, with or without the charset parameter', async () => {
    // given Vietnamese names, encoded as UTF-8
    const name = Buffer.from('Đoàn phường Bến Thành');
    // when they are sent, with and without "; charset=utf-8"
    const plain = await postBytes(unit(name));
    const labelled = await postBytes(unit(name), 'application/json; charset=utf-8');

    // then both are recorded
    expect([plain.status, labelled.status]).toEqual([201, 201]);
  });
});

import type { Actor } from '#platform';
import {
  auditor,
  type CommandsKit,
  operator,
  PROBLEM,
  startCommandsKit,
} from '../commands/commands-kit.js';

// API.md "Snapshots (time travel)": read routes take ?snapshot= and answer from that snapshot. The
// routes below answer from the event log itself, never from a read model, so a snapshot asked for
// there was dropped in silence: `?snapshot=<any id>`, even an unknown one, answered 200 with the
// present, which an auditor reading the past took for the stream as it stood then.
describe('?snapshot= on the routes that do not read a read model', () => {
  let kit: CommandsKit;
  const get = (path: string, actor: Actor = auditor) => kit.send('get', path, actor);

  beforeAll(async () => {
    kit = await startCommandsKit('snapoff');
    await kit.record('/units', { id: 'so-ward', name: 'Đoàn phường', kind: 'ward' });
  });
  afterAll(() => kit.close());

  it.each([
    '/audit/streams/unit-so-ward',
    '/audit/streams/unit-so-ward/verify',
    '/audit/log/key',
    '/audit/log/checkpoint',
  ])('%s refuses ?snapshot= with 400 naming it, and answers without it', async (path) => {
    // given a route whose answer comes from the log, and which answers without a snapshot
    const plain = await get(path, operator);
    expect([200, 404]).toContain(plain.status); // no checkpoint is signed yet: 404 no_checkpoint
    expect(plain.status === 404 ? plain.body.code : 'answered').not.toBe('validation_failed');

    // when an auditor asks for it as of a snapshot, known or not
    const res = await get(`${path}?snapshot=s1`);

    // then 400 names the parameter and says why, rather than the present passed off as the past
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([
      { field: 'snapshot', message: expect.stringContaining('not from a snapshot') },
    ]);
  });

  it('/events/live refuses ?snapshot= before it opens the stream: it follows the present', async () => {
    // when a viewer asks for the live stream as of a snapshot
    const res = await get('/events/live?snapshot=s1', { sub: 'view-1', role: 'viewer' });

    // then 400 names the parameter, and no stream of today's changes is opened
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([
      { field: 'snapshot', message: expect.stringContaining('not from a snapshot') },
    ]);
  });

  it.each(['/audit/streams/unit-so-ward', '/audit/streams/unit-so-ward/verify', '/audit/log/key'])(
    '%s takes ?minPosition= as every read does, and checks it',
    async (path) => {
      // when a client reads after a command with the position it returned, as API.md lets every read
      const res = await get(`${path}?minPosition=1`);
      const bad = await get(`${path}?minPosition=-1`);

      // then it is answered (the log holds that position), and a position that is none is refused
      expect(res.status).toBe(200);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'minPosition' })]);
    },
  );

  it('refuses any other parameter those routes do not take, like every read route', async () => {
    // when a parameter the route does not know is sent
    const res = await get('/audit/streams/unit-so-ward?asOf=2025-01-01');

    // then it is refused by name, not ignored
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });
});

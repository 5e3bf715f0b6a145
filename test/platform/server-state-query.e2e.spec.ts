import { type CommandsKit, operator, PROBLEM, startCommandsKit } from '../commands/commands-kit.js';

// Every read route refuses a query parameter it does not take, by name (400 problem+json): a dropped
// one is answered as if it had been applied. The reads of the server's own state (`/admin`, the
// caller's token, the metrics) ignored every parameter, `?snapshot=` included.
describe("the reads of the server's own state take the parameters every read takes, and no other", () => {
  let kit: CommandsKit;
  const get = (path: string) => kit.send('get', path, operator);

  beforeAll(async () => {
    kit = await startCommandsKit('server_state_query');
  });
  afterAll(() => kit?.close());

  const routes = [
    '/admin/projections',
    '/admin/snapshots',
    '/admin/jobs/no-such-job',
    '/auth/whoami',
    '/metrics',
  ];

  it.each(routes)('%s refuses a parameter it does not take, naming it', async (path) => {
    // when a parameter the route does not know is sent
    const res = await get(`${path}?asOf=2025-01-01`);
    // then it is refused by name, not ignored
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'asOf' })]);
  });

  it.each(routes)(
    '%s refuses ?snapshot= saying why, rather than answer the present',
    async (path) => {
      const res = await get(`${path}?snapshot=s1`);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        { field: 'snapshot', message: expect.stringContaining('not from a snapshot') },
      ]);
    },
  );

  it.each(routes)('%s takes ?minPosition= as every read does', async (path) => {
    // given the route's answer without parameters (an unknown job is 404)
    const plain = await get(path);
    expect([200, 404]).toContain(plain.status);
    // when a client reads after a command with the position it returned, or with one that is none
    const res = await get(`${path}?minPosition=1`);
    const bad = await get(`${path}?minPosition=-1`);
    // then the first is answered as without it, and the second refused naming the parameter
    expect(res.status).toBe(plain.status);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'minPosition' })]);
  });
});

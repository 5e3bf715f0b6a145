import request from 'supertest';
import {
  auditor,
  type CommandsKit,
  hoursAgo,
  seedTree,
  startCommandsKit,
} from '../commands/commands-kit.js';

/**
 * API.md: `GET /audit/members/:id/hours` answers JSON, "also Accept: text/csv". A client states what it
 * prefers with quality values (RFC 9110 §12.5.1): the answer follows them, and a type given `q=0` is one
 * the client refuses. The route used to pick CSV whenever `text/csv` was named and `application/json`
 * was not, whatever their weights.
 */
describe('audit hours as JSON or CSV, as the Accept header weighs them', () => {
  let kit: CommandsKit;
  let path = '';

  beforeAll(async () => {
    kit = await startCommandsKit('proj_hours_accept', { worker: true });
    const ids = await seedTree(kit, 'ha');
    await kit.record('/shifts', {
      id: 'ha-s1',
      memberId: ids.member,
      location: 'TTHCC',
      startedAt: hoursAgo(4),
    });
    const { position } = await kit.record('/shifts/ha-s1/end', { endedAt: hoursAgo(1) });
    path = `/audit/members/${ids.member}/hours?minPosition=${position}`;
  });
  afterAll(() => kit?.close());

  const typeFor = async (accept?: string) => {
    let req = request(kit.server)
      .get(path)
      .set('Authorization', await kit.bearer(auditor));
    if (accept !== undefined) req = req.set('Accept', accept);
    const res = await req;
    expect(res.status).toBe(200);
    return String(res.headers['content-type']).split(';')[0];
  };

  it('answers CSV to a client that asks for it, alone or above JSON', async () => {
    expect(await typeFor('text/csv')).toBe('text/csv');
    expect(await typeFor('text/csv, */*;q=0.1')).toBe('text/csv');
    expect(await typeFor('text/csv;q=0.9, application/json;q=0.1')).toBe('text/csv');
  });

  it('answers JSON by default, when JSON weighs as much or more, and when CSV is refused', async () => {
    expect(await typeFor()).toBe('application/json');
    expect(await typeFor('*/*')).toBe('application/json');
    expect(await typeFor('text/csv, application/json')).toBe('application/json');
    expect(await typeFor('application/json;q=0.9, text/csv;q=0.5')).toBe('application/json');
    expect(await typeFor('text/csv;q=0, */*')).toBe('application/json');
  });
});

import fc from 'fast-check';
import request from 'supertest';
import type { Actor } from '#platform';
import { PROBLEM, seedTree, startCommandsKit, type CommandsKit } from './commands-kit.js';
import { instantNear, oddDates, oddIds, oddInstants, resolve, zones } from './generated-values.js';

const readers: Actor[] = [
  { sub: 'aud-gen', role: 'auditor' },
  { sub: 'op-gen', role: 'operator' },
  { sub: 'viewer-gen', role: 'viewer' },
];

/** Every read route of API.md with the query parameters it takes. */
const routes: [string, string[]][] = [
  ['/campaigns/{id}/progress', ['minPosition', 'snapshot']],
  ['/campaigns', ['unitId', 'limit']],
  ['/members', ['unitId', 'limit', 'after']],
  ['/leaderboards/members', ['from', 'to', 'tz', 'metric', 'campaignId', 'unitId', 'limit']],
  ['/leaderboards/units', ['metric', 'parentId', 'limit', 'snapshot']],
  ['/units/{id}/summary', ['minPosition', 'snapshot']],
  ['/units/{id}/digital-skills', ['minPosition']],
  ['/units/{id}/programmes', ['from', 'to', 'tz', 'kind']],
  ['/audit/members/{id}/hours', ['from', 'to', 'tz', 'snapshot']],
  ['/audit/members/{id}/certificate', ['from', 'to', 'tz']],
  ['/audit/streams/{id}', ['minPosition']],
  ['/audit/streams/{id}/verify', []],
  ['/audit/log/checkpoints', ['fromSize', 'limit']],
  ['/audit/log/events/{id}/inclusion', ['treeSize']],
  ['/audit/log/consistency', ['from=size', 'to=size']],
];

const sizes = ['0', '1', '-1', '1.5', '1e3', '', 'x', '9223372036854775808', '00'];
const values: Record<string, fc.Arbitrary<unknown>> = {
  from: fc.oneof(instantNear(24), fc.constantFrom(...oddInstants, ...oddDates)),
  to: fc.oneof(instantNear(0), fc.constantFrom(...oddInstants, ...oddDates)),
  tz: fc.constantFrom(...zones),
  limit: fc.constantFrom('1', '500', '501', '0', '-1', '1.5', '1e2', '', ' 5', 'abc'),
  after: fc.constantFrom('', 'a', 'x'.repeat(300), '%FF', 'null'),
  metric: fc.constantFrom('verifiedHours', 'citizensAssisted', 'clubs', 'posts', 'constructor'),
  kind: fc.constantFrom('awareness', 'training', 'x', '', '__proto__'),
  minPosition: fc.constantFrom('0', '1', '-1', '1.5', '1e3', '', 'abc', '9223372036854775808'),
  snapshot: fc.constantFrom('', 'x', 'a%2Fb', 'null'),
  size: fc.constantFrom(...sizes),
  id: fc.constantFrom('gq-ward', 'gq-m1', 'shift-x', ...oddIds, 'a%2Fb', '%2e%2e', '%ZZ'),
};
values.campaignId = values.unitId = values.parentId = values.id!;
values.fromSize = values.treeSize = values.size!;

/** A parameter once, twice, as `name[]` or `name[key]` (Express's extended parser reads objects). */
const shapes = fc.constantFrom('once', 'once', 'once', 'twice', 'array', 'object', 'bare');
const parameter = (spec: string) => {
  const [name, kind] = spec.split('=') as [string, string | undefined];
  const value = values[kind ?? name]!;
  return fc.tuple(shapes, value, value).map(([shape, a, b]) => {
    const [x, y] = [a, b].map((v) => {
      const text = String(resolve(v, () => undefined));
      return text.startsWith('%') ? text : encodeURIComponent(text);
    });
    if (shape === 'twice') return `${name}=${x}&${name}=${y}`;
    if (shape === 'array') return `${name}[]=${x}`;
    if (shape === 'object') return `${name}[a]=${x}`;
    if (shape === 'bare') return name;
    return `${name}=${x}`;
  });
};
const query = fc.constantFrom(...routes).chain(([path, params]) =>
  fc.record({
    path: values.id!.map((id) => {
      const text = String(id);
      return path.replace('{id}', text.includes('%') ? text : encodeURIComponent(text));
    }),
    params: fc.subarray(params).chain((chosen) => fc.tuple(...chosen.map(parameter))),
    reader: fc.constantFrom(...readers),
  }),
);

// The read routes' half of API.md "General": whatever a query string holds, the answer is never a
// 5xx (a 504 only when minPosition is a position the log has not reached), a 4xx is problem+json,
// and a 400 names the parameter (or the path) that was wrong.
describe('generated query strings on every read route', () => {
  let kit: CommandsKit;
  beforeAll(async () => {
    kit = await startCommandsKit('generated_queries', { worker: true });
    await seedTree(kit, 'gq');
  });
  afterAll(() => kit?.close());

  it('answers each with data or a problem that names what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(query, async ({ path, params, reader }) => {
        const url = params.length ? `${path}?${params.join('&')}` : path;
        const res = await request(kit.server)
          .get(url)
          .set('Authorization', await kit.bearer(reader));
        const said = `${reader.role} GET ${url} → ${res.status} ${res.text.slice(0, 300)}`;
        const lagging = res.status === 504 && res.body.code === 'projection_lagging';
        expect([said, res.status < 500 || lagging]).toEqual([said, true]);
        if (res.status < 400) return;
        expect([said, res.headers['content-type']]).toEqual([said, expect.stringMatching(PROBLEM)]);
        if (res.status === 400)
          expect([said, res.body.errors]).toEqual([
            said,
            expect.arrayContaining([{ field: expect.any(String), message: expect.any(String) }]),
          ]);
      }),
      { seed: 20261201, numRuns: 400, endOnFailure: true },
    );
  }, 300_000);
});

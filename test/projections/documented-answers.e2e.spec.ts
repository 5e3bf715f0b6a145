import request from 'supertest';
import {
  auditor,
  type CommandsKit,
  hoursAgo,
  seedTree,
  startCommandsKit,
} from '../commands/commands-kit.js';

type Schema = {
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
};

/**
 * Where `value` departs from the OpenAPI 3.0 `schema` (the parts /docs uses: type, nullable, enum,
 * properties, required, items), one line per departure. Undocumented extra fields are allowed.
 */
function departures(schema: Schema, value: unknown, at = '$'): string[] {
  if (value === null) return schema.nullable || schema.type === undefined ? [] : [`${at} is null`];
  if (schema.enum && !schema.enum.includes(value))
    return [`${at} ${JSON.stringify(value)} not in enum`];
  const actual = Array.isArray(value)
    ? 'array'
    : typeof value === 'number' && Number.isInteger(value)
      ? 'integer'
      : typeof value;
  if (
    schema.type &&
    !(schema.type === actual || (schema.type === 'number' && actual === 'integer'))
  )
    return [`${at} is ${actual}, documented ${schema.type}`];
  if (actual === 'array' && schema.items)
    return (value as unknown[]).flatMap((item, i) =>
      departures(schema.items!, item, `${at}[${i}]`),
    );
  if (actual !== 'object') return [];
  const object = value as Record<string, unknown>;
  return [
    ...(schema.required ?? [])
      .filter((name) => !(name in object))
      .map((name) => `${at}.${name} missing`),
    ...Object.entries(schema.properties ?? {})
      .filter(([name]) => name in object)
      .flatMap(([name, property]) => departures(property, object[name], `${at}.${name}`)),
  ];
}

// Found by a property-based fuzzer (schemathesis, response_schema_conformance): /docs said a shift's
// `hours` in the audit answer is always a number, but an open shift's is null, so a client generated
// from /docs failed to read the hours of a member with a shift still running.
describe('the audit hours answer is what /docs says it is', () => {
  let kit: CommandsKit;
  let member = '';
  let position = 0;

  beforeAll(async () => {
    kit = await startCommandsKit('proj_documented_answers', { worker: true });
    const ids = await seedTree(kit, 'da');
    member = ids.member;
    const record = async (path: string, body: object) => {
      position = Math.max(position, (await kit.record(path, body)).position);
    };
    // given a member with a verified and corrected shift, and another still open
    await record('/shifts', {
      id: 'da-s1',
      memberId: member,
      location: 'TTHCC',
      startedAt: hoursAgo(9),
    });
    await record('/shifts/da-s1/end', { endedAt: hoursAgo(7) });
    await record('/shifts/da-s1/corrections', { endedAt: hoursAgo(6), reason: 'left late' });
    await record('/shifts/da-s1/verify', {});
    await record('/shifts', {
      id: 'da-s2',
      memberId: member,
      location: 'TTHCC',
      startedAt: hoursAgo(2),
    });
  });
  afterAll(() => kit?.close());

  it('documents every field of every shift, the open one included', async () => {
    // when an auditor reads the member's hours, and the schema /docs gives for that answer
    const docs = await request(kit.server).get('/docs-json');
    const schema = docs.body.paths['/audit/members/{id}/hours'].get.responses['200'].content[
      'application/json'
    ].schema as Schema;
    const res = await request(kit.server)
      .get(`/audit/members/${member}/hours?minPosition=${position}`)
      .set('Authorization', await kit.bearer(auditor));

    // then the answer holds both shifts, and departs from the schema nowhere
    expect(res.status).toBe(200);
    expect(res.body.shifts.map((s: { status: string }) => s.status).sort()).toEqual([
      'open',
      'verified',
    ]);
    expect(departures(schema, res.body)).toEqual([]);
  });
});

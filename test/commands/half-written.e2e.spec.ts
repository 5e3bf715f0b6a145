import {
  PROBLEM,
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/**
 * Nothing is half-written (API.md): a command not answered 201 appended nothing, and a command that
 * appended answers 201, or its idempotent replay when resent. The failures are real ones: a trigger
 * makes the PostgreSQL backend serving the command terminate itself (pg_terminate_backend, the 57P01
 * a server restart sends) at the chosen moment:
 *  - inside the append's transaction, while the event row of the assistance for 77 citizens is
 *    inserted, before COMMIT;
 *  - when the idempotency log records the answer, once. That row is written in the append's own
 *    transaction (issue 11), so the failure takes the events with it: there is no moment any more at
 *    which the events are stored and their answer is not.
 * `pg_sleep` after the signal lets the backend die at once, before anything else runs.
 */
const beforeCommit = `
CREATE FUNCTION fault_before_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.data->>'citizens' = '77' THEN
    PERFORM pg_terminate_backend(pg_backend_pid());
    PERFORM pg_sleep(5);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fault_before_commit BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION fault_before_commit();
`;
const afterCommit = `
CREATE SEQUENCE fault_after_commit_once;
CREATE FUNCTION fault_after_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- a sequence is not rolled back with the transaction it is used in: the fault fires once
  IF NEW.result IS NOT NULL AND nextval('fault_after_commit_once') = 1 THEN
    PERFORM pg_terminate_backend(pg_backend_pid());
    PERFORM pg_sleep(5);
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER fault_after_commit BEFORE INSERT OR UPDATE ON command_log
  FOR EACH ROW EXECUTE FUNCTION fault_after_commit();
`;

describe('a command interrupted by the database never leaves a half-written answer', () => {
  let kit: CommandsKit;
  const shift = 'hw-s1';

  beforeAll(async () => {
    kit = await startCommandsKit('cmd_half_written');
    const ids = await seedTree(kit, 'hw');
    const started = await kit.post('/shifts', operator, {
      id: shift,
      memberId: ids.member,
      location: 'TTHCC phường 1',
      startedAt: hoursAgo(3),
    });
    expect(started.status).toBe(201);
  });
  afterAll(async () => {
    await kit?.close();
  });

  const occurredAt = hoursAgo(2); // one body per key: a resend must be the same request
  const assist = (key: string, citizens: number, serviceType = 'eid_activation') =>
    kit.post(
      `/shifts/${shift}/assistance`,
      operator,
      { serviceType, citizens, occurredAt },
      { 'Idempotency-Key': key },
    );
  const stored = (citizens: number) =>
    kit.sql<{ assistance_id: string; version: string; global_position: string }>(
      `SELECT data->>'assistanceId' AS assistance_id, version, global_position FROM events
        WHERE type = 'CitizenAssisted' AND (data->>'citizens')::int = $1`,
      [citizens],
    );

  it('a failure before the append commits answers 503 and appends nothing', async () => {
    // given the event count before, and the fault armed
    const before = await kit.totalEvents();
    await kit.sql(beforeCommit);

    // when the backend dies while the event row is being inserted
    const res = await assist('hw-before-commit', 77);

    // then the answer is a 503 problem with Retry-After, and nothing was appended
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
    expect(res.body.code).toBe('database_unavailable');
    expect(await stored(77)).toEqual([]);
    expect(await kit.totalEvents()).toBe(before);
    // and the claim was released: once the fault is gone, the same key records it, once
    await kit.sql('DROP TRIGGER fault_before_commit ON events');
    const retried = await assist('hw-before-commit', 77);
    expect(retried.status).toBe(201);
    expect(await stored(77)).toHaveLength(1);
    expect(await kit.totalEvents()).toBe(before + 1);
  });

  it('a failure while the answer is logged answers 503 and appends nothing, and the resend records it once', async () => {
    // given the event count before, and the fault armed
    const before = await kit.totalEvents();
    await kit.sql(afterCommit);

    // when the backend dies while the answer is being logged, in the append's transaction
    const first = await assist('hw-after-commit', 5);

    // then that attempt answers 503, and neither its event nor its answer is stored
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toMatch(/^\d+$/);
    expect(await stored(5)).toEqual([]);
    expect(await kit.totalEvents()).toBe(before);

    // and resending with the same Idempotency-Key records it once, with its answer
    const retried = await assist('hw-after-commit', 5);
    expect(retried.status).toBe(201);
    const rows = await stored(5);
    expect(rows).toHaveLength(1);
    expect(retried.body).toEqual({
      id: rows[0]!.assistance_id,
      streamId: `shift-${shift}`,
      version: Number(rows[0]!.version),
      position: Number(rows[0]!.global_position),
    });
    const again = await assist('hw-after-commit', 5);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(retried.body);
    // and the key stays taken by that body: another body under it is a 409, not the first one's result
    const otherBody = await assist('hw-after-commit', 5, 'digital_signature');
    expect(otherBody.status).toBe(409);
    expect(await kit.totalEvents()).toBe(before + 1);
  });
});

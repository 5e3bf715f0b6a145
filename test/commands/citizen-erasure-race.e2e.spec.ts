import { createHmac, randomBytes } from 'node:crypto';
import pg from 'pg';
import { streamLock } from '#event-store';
import { derivedKey, PersonalDataVault } from '#platform';
import { TEST_JWT_SECRET } from '../platform/test-app.js';
import {
  hoursAgo,
  operator,
  seedTree,
  startCommandsKit,
  type CommandsKit,
} from './commands-kit.js';

/** Sessions of the kit's database waiting for a lock (a row's or an advisory one). */
const waitingSessions = async (kit: CommandsKit) =>
  Number(
    (
      await kit.sql<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      )
    )[0]!.n,
  );

/** Returns once `done` holds, looked at every 20 ms (a state reached, not a time waited). */
const until = async (done: () => Promise<boolean>) => {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 20));
};

/** The citizen's subject as the API derives it (CitizenSubjects): its key is that row. */
const subjectOf = (citizenRef: string) =>
  `citizen-${createHmac('sha256', derivedKey(TEST_JWT_SECRET, 'citizen-subject'))
    .update(citizenRef)
    .digest('hex')
    .slice(0, 32)}`;

/**
 * Found by racing requests on the built API: the first sealing of a citizen's reference creates their
 * key, in a statement that checks the citizen is not erased and then inserts. An erasure that ran
 * while that insert waited (on another process inserting the same citizen's key, which it then gave
 * up) found no key to destroy; the insert then went on from its earlier look, and the erased citizen
 * had a key again: the reference being recorded, and every one recorded after, was readable to
 * whoever holds the database. The race is held open here by that other process's insert, left
 * uncommitted until the erasure has answered or waits.
 */
describe('a citizen erased while their key is being created', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;

  beforeAll(async () => {
    kit = await startCommandsKit('cit_key_race');
    ids = await seedTree(kit, 'ckr');
    await kit.record('/shifts', {
      id: 'ckr-s1',
      memberId: ids.member,
      location: 'Trung tâm hành chính công',
      startedAt: hoursAgo(3),
    });
  });
  afterAll(() => kit?.close());

  const assist = (id: string, citizenRef: string) =>
    kit.post('/shifts/ckr-s1/assistance', operator, {
      id,
      serviceType: 'eid_activation',
      occurredAt: hoursAgo(2),
      citizenRef,
    });

  const waiting = () => waitingSessions(kit);

  it('leaves the citizen without a key, whichever of the two gets it first', async () => {
    // given another process inserting the citizen's key, not yet committed
    const citizenRef = 'CCCD-7001';
    const other = new pg.Client({ connectionString: kit.databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query('INSERT INTO personal_data_keys (subject_id, key) VALUES ($1, $2)', [
      subjectOf(citizenRef),
      randomBytes(32),
    ]);
    // and an assistance carrying the reference, whose sealing waits for that insert
    const assisting = assist('ckr-a1', citizenRef);
    await until(async () => (await waiting()) >= 1);

    // when the citizen is erased meanwhile (answered, or waiting its turn), then the other process
    // gives its insert up
    let erasedAnswer: number | undefined;
    const erasing = kit
      .send('delete', '/citizens/personal-data', operator, { citizenRef })
      .then((res) => (erasedAnswer = res.status));
    await until(async () => erasedAnswer !== undefined || (await waiting()) >= 2);
    await other.query('ROLLBACK');
    await other.end();
    const [assisted] = await Promise.all([assisting, erasing]);

    // then both are recorded, and the citizen has no key: the reference recorded does not open
    expect([assisted.status, erasedAnswer]).toEqual([201, 201]);
    const keys = await kit.sql('SELECT 1 FROM personal_data_keys WHERE subject_id = $1', [
      subjectOf(citizenRef),
    ]);
    expect(keys).toEqual([]);
    const stream = await kit.store.readStream('shift-ckr-s1');
    const sealed = stream[assisted.body.version]!.data.citizenRef;
    expect(await kit.app.get(PersonalDataVault).open(sealed)).toBeNull();
    // and a later assistance for that citizen stores no reference at all
    const later = await assist('ckr-a2', citizenRef);
    expect(later.status).toBe(201);
    expect((await kit.store.readStream('shift-ckr-s1'))[later.body.version]!.data.citizenRef).toBe(
      null,
    );
  });
});

/**
 * Found by racing requests on the built API: an erasure forgets the bodies of the commands that
 * carried the citizen's reference, and the statement that appends a command forgets its body when the
 * citizen is erased already. That statement waits for its stream's lock inside, and its look at the
 * erasures is from before the wait: an assistance whose append waited while the erasure committed and
 * forgot kept its body, and a resend of its id then answered 201 for the true reference and 409 for
 * any other, telling whoever guessed ID numbers the erased citizen's. Held open here by another writer
 * holding the shift's stream lock.
 */
describe('an assistance appended while its citizen is erased', () => {
  let kit: CommandsKit;
  let ids: Awaited<ReturnType<typeof seedTree>>;

  beforeAll(async () => {
    kit = await startCommandsKit('cit_log_race');
    ids = await seedTree(kit, 'clr');
    await kit.record('/shifts', {
      id: 'clr-s1',
      memberId: ids.member,
      location: 'Công an phường',
      startedAt: hoursAgo(3),
    });
  });
  afterAll(() => kit?.close());

  const occurredAt = hoursAgo(2);
  const assist = (id: string, citizenRef: string) =>
    kit.post('/shifts/clr-s1/assistance', operator, {
      id,
      serviceType: 'eid_activation',
      occurredAt,
      citizenRef,
    });
  const waiting = () => waitingSessions(kit);

  it('answers a resend of it alike whatever reference comes with it', async () => {
    // given a citizen helped once already (their key exists)
    const citizenRef = 'CCCD-8001';
    expect((await assist('clr-a0', citizenRef)).status).toBe(201);
    // and another writer holding the shift's stream lock, so that the next assistance's append waits
    const other = new pg.Client({ connectionString: kit.databaseUrl });
    await other.connect();
    await other.query('BEGIN');
    await other.query(`SELECT ${streamLock('$1')}`, ['shift-clr-s1']);
    const assisting = assist('clr-a1', citizenRef);
    await until(async () => (await waiting()) >= 1);

    // when the citizen is erased meanwhile, and the other writer then lets go
    const erased = await kit.send('delete', '/citizens/personal-data', operator, { citizenRef });
    await other.query('ROLLBACK');
    await other.end();
    const assisted = await assisting;
    expect([assisted.status, erased.status]).toEqual([201, 201]);

    // then a resend with a guessed reference answers the first result, as one with the true one does,
    // and records nothing
    const events = await kit.totalEvents();
    const guessed = await assist('clr-a1', 'CCCD-9999');
    const resent = await assist('clr-a1', citizenRef);
    expect([guessed.status, resent.status]).toEqual([201, 201]);
    expect(guessed.body).toEqual(assisted.body);
    expect(resent.body).toEqual(assisted.body);
    expect(await kit.totalEvents()).toBe(events);
  });
});

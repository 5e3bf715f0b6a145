import { jest } from '@jest/globals';
import { isConnectionFailure } from '#event-store';
import { DatabaseOutage } from './database-outage.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionFailure', () => {
  it.each([
    [
      '57P01 admin shutdown',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['57P03 starting up', pgError('57P03', 'the database system is starting up')],
    ['08006 connection failure', pgError('08006')],
    [
      '53100 a full disk under a commit',
      pgError('53100', 'could not write to file "pg_wal/xlogtemp.10189": No space left on device'),
    ],
    ['ECONNREFUSED', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['no descriptor left (EMFILE)', pgError('EMFILE', 'connect EMFILE 127.0.0.1:5432 - Local')],
    ['a closed socket under a query', new Error('Connection terminated unexpectedly')],
    [
      'a broken client reused',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a dual-stack connect', Object.assign(new AggregateError([pgError('ECONNREFUSED')]), {})],
    [
      'a wrapped driver error',
      Object.assign(new Error('query failed'), { driverError: pgError('57P01') }),
    ],
  ])('is true for %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505', 'duplicate key value')],
    ['a syntax error', pgError('42601')],
    ['a date out of range', pgError('22008', 'date/time field value out of range')],
    ['a plain bug', new TypeError('Cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('is false for %s', (_, error) => {
    expect(isConnectionFailure(error)).toBe(false);
  });
});

describe('DatabaseOutage', () => {
  let lines: string[];
  let outage: DatabaseOutage;
  beforeEach(() => {
    jest.useFakeTimers();
    lines = [];
    outage = new DatabaseOutage({
      warn: (line: unknown) => void lines.push(`warn ${String(line)}`),
      log: (line: unknown) => void lines.push(`log ${String(line)}`),
    });
  });
  afterEach(() => jest.useRealTimers());

  it('logs one line when an outage starts and one when connections hold again', () => {
    // given many failures in a row, a connection that fails again at once, then one that holds
    for (let i = 0; i < 50; i++) outage.failed(pgError('57P01', 'terminating connection'));
    outage.connected();
    jest.advanceTimersByTime(500);
    outage.failed(pgError('ECONNREFUSED', 'connect ECONNREFUSED'));
    jest.advanceTimersByTime(700);
    expect(outage.ongoing).toBe(true);
    outage.connected();
    jest.advanceTimersByTime(5_000);

    // then two lines: the start, naming the first failure, and the end
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warn database unavailable \(terminating connection\)/);
    expect(lines[1]).toMatch(/^log database available again .*51 failed operations/);
    expect(outage.ongoing).toBe(false);
  });

  it('counts the outage until a connection was made again, not until its last failure', () => {
    // given a burst of failures when the server went, then 1.7 s with nothing tried until a
    // connection succeeds
    for (let i = 0; i < 41; i++) outage.failed(pgError('57P01', 'terminating connection'));
    jest.advanceTimersByTime(1_700);
    outage.connected();

    // when it holds
    jest.advanceTimersByTime(5_000);

    // then the end line gives the time it was away
    expect(lines[1]).toMatch(/unavailable for 1\.7 s, 41 failed operations/);
  });

  it('ignores errors that are not connection failures', () => {
    expect(outage.failed(pgError('23505'))).toBe(false);
    outage.connected();
    jest.advanceTimersByTime(5_000);
    expect(lines).toEqual([]);
  });
});

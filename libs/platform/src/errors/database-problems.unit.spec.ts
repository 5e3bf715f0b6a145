import { problemFor } from './problem-mapping.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

/**
 * On a DATA_DIR whose disk filled up (a 60 MB tmpfs) under 16 clients, the commit of an
 * assistance failed with SQLSTATE 53100 ("could not write to file pg_wal/xlogtemp…: No space left on
 * device"), the postmaster went down, and that request was answered 500 internal_error while the
 * others got 503. API.md: 503 with Retry-After while the database is unavailable, never 500 for it.
 */
describe('a database out of a resource, answered', () => {
  it.each([
    ['53100 disk_full', 'could not write to file "pg_wal/xlogtemp.10189": No space left on device'],
    ['53200 out_of_memory', 'out of memory'],
    ['53300 too_many_connections', 'sorry, too many clients already'],
  ])('is 503 database_unavailable for %s', (what, message) => {
    // given the error pg raises for it
    const error = pgError(what.slice(0, 5), message);

    // when a request's failure is mapped to its problem
    const { problem, internal } = problemFor(error, '/shifts/s-1/assistance');

    // then it is an outage to retry, not a bug
    expect(problem.status).toBe(503);
    expect(problem.code).toBe('database_unavailable');
    expect(internal).toBe(false);
  });
});

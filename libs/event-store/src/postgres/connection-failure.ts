/**
 * Whether an error means "the database cannot be reached right now" rather than "this statement is
 * wrong": the server going down or restarting (SQLSTATE class 08, 57P01 admin shutdown, 57P02 crash
 * shutdown, 57P03 not accepting connections yet), a database closed to connections, the server out
 * of a resource (class 53: a full disk, memory, too many connections), a refused or reset socket, or pg's own "Connection terminated" when the socket closes
 * under a query. Such a failure is retried by background loops and answered 503 to clients; anything
 * else is a bug or a refusal. Wrapped errors (TypeORM's `driverError`, `cause`, an AggregateError from
 * a dual-stack connect) are looked through.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, message, cause, driverError, errors } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    driverError?: unknown;
    errors?: unknown;
  };
  const sqlState = typeof code === 'string' ? code : '';
  if (
    sqlState.startsWith('08') ||
    sqlState.startsWith('57P') ||
    // insufficient_resources: 53100 disk_full (a WAL segment that cannot be written, measured on a
    // full tmpfs: the commit failed, the postmaster went down and the command answered 500),
    // 53200 out_of_memory, 53300 too_many_connections. They pass once the resource frees.
    sqlState.startsWith('53') ||
    networkCodes.has(sqlState)
  )
    return true;
  if (typeof message === 'string' && connectionMessages.test(message)) return true;
  if (Array.isArray(errors) && errors.some((e) => isConnectionFailure(e, depth + 1))) return true;
  return isConnectionFailure(cause, depth + 1) || isConnectionFailure(driverError, depth + 1);
}

/**
 * Whether the database refused for want of a resource (SQLSTATE class 53: a full disk, memory, too
 * many connections), which passes once the resource frees, rather than being away. Looked through
 * wrappers as isConnectionFailure does.
 */
export function isOutOfResources(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const { code, cause, driverError } = error as {
    code?: unknown;
    cause?: unknown;
    driverError?: unknown;
  };
  if (typeof code === 'string' && code.startsWith('53')) return true;
  return isOutOfResources(cause, depth + 1) || isOutOfResources(driverError, depth + 1);
}

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // No descriptor left for a new connection: the process's file limit (EMFILE) or the system's
  // (ENFILE). Connections going away free descriptors, so this passes like an outage; the API caps
  // its HTTP connections below the file limit (apps/api connection-limits.ts) so it should not come.
  'EMFILE',
  'ENFILE',
]);

const connectionMessages =
  /Connection terminated|not queryable|timeout exceeded when trying to connect|is not currently accepting connections|the database system is (starting up|shutting down|in recovery mode)/i;

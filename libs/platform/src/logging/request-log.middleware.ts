import type { Logger } from 'pino';
import { idPattern } from '#domain';
import type { HttpRequest, HttpResponse, NextFunction } from '../errors/http-types.js';

/** What the problem filter leaves on a response for the request's log line. */
export const PROBLEM_TYPE = Symbol('problemType');
type Logged = HttpResponse & { [PROBLEM_TYPE]?: string };

/**
 * One line per request, when its answer is finished (or the client went away): route (the pattern,
 * never the query string, which may carry a token), status, duration, the actor's `sub` and role,
 * the command id, and the problem type of a refusal. Bodies and headers are never logged: they carry
 * personal data and tokens.
 */
export function requestLog(logger: Logger) {
  return (request: HttpRequest, response: Logged, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    let done = false;
    const write = () => {
      if (done) return;
      done = true;
      const status = response.writableFinished ? response.statusCode : 499;
      // A client that leaves an answer already begun well (a dashboard tab closed on its live stream,
      // which only ever ends that way) is no fault of anyone's, yet every closed tab wrote a warning.
      const leftGoodAnswer = status === 499 && response.headersSent && response.statusCode < 400;
      const actor = request.actor as { sub?: string; role?: string } | undefined;
      const line = {
        method: request.method,
        route: routeOf(request),
        status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        actor: actor ? { sub: actor.sub, role: actor.role } : undefined,
        commandId: commandIdOf(request),
        problem: response[PROBLEM_TYPE],
      };
      // 503 is the database being away: the outage has its own error line when it starts and ends.
      // 504 is a read whose `minPosition` was not reached in 5 s: any client can ask for a position
      // far ahead (500 such reads wrote 500 error lines), and a projection truly behind shows in
      // /health, /metrics and the runner's own lines.
      const level =
        status >= 500 && status !== 503 && status !== 504
          ? 'error'
          : status >= 400 && !leftGoodAnswer
            ? 'warn'
            : 'info';
      logger[level](line, `${line.method} ${line.route} ${status}`);
    };
    response.once('finish', write);
    response.once('close', write);
    next();
  };
}

/**
 * `/shifts/:id/assistance` once routed. Before that (404, 413, a path parameter that does not decode)
 * there is no pattern, and the path is whatever the client typed, a citizen's ID number or a
 * member's name included: only its first segment is logged (`/citizens/…`), and only when some route
 * begins with it (`/…` otherwise): `GET /079203001234` or `/Nguyễn%20Văn%20An` wrote the number or
 * the name in full, as long as the client liked.
 */
export function routeOf(request: HttpRequest & { baseUrl?: string; app?: unknown }): string {
  if (request.route?.path) return `${request.baseUrl ?? ''}${request.route.path}`;
  const [, first = '', ...rest] = request.originalUrl.split('?')[0]!.split('/');
  const known = routeSegments(request.app).has(first);
  return `/${known ? first : '…'}${known && rest.length ? '/…' : ''}`;
}

type ExpressApp = { router?: { stack?: { route?: { path?: unknown } }[] } };
const segments = new WeakMap<object, ReadonlySet<string>>();

/** The first segments of the app's routes (`members`, `shifts`, …), read from its router once. */
function routeSegments(app: unknown): ReadonlySet<string> {
  // an Express app is a function (its own request listener)
  if (typeof app !== 'function') return new Set();
  let known = segments.get(app);
  if (!known) {
    const paths = ((app as ExpressApp).router?.stack ?? []).map((layer) => layer.route?.path);
    known = new Set(
      paths.filter((path) => typeof path === 'string').map((path) => path.split('/')[1] ?? ''),
    );
    segments.set(app, known);
  }
  return known;
}

/**
 * The command's id (the `Idempotency-Key` header, else the body's `commandId` or `id`), when it is
 * one (idPattern). A refused request's "id" is whatever the client sent: a name and an ID number
 * (`"id": "Nguyễn Văn An 079203001234"`), a line break and a forged JSON line, or an escape sequence
 * were written as the line's `commandId`, a body's text in the log.
 */
function commandIdOf(request: HttpRequest & { body?: unknown }): string | undefined {
  const header = request.headers['idempotency-key'];
  const body = request.body as { commandId?: unknown; id?: unknown } | undefined;
  const id = header ?? (body && typeof body === 'object' ? (body.commandId ?? body.id) : undefined);
  return typeof id === 'string' && idPattern.test(id) ? id : undefined;
}

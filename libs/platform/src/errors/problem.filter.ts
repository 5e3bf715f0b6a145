import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type {
  HttpRequest as Request,
  HttpResponse as Response,
  NextFunction,
} from './http-types.js';
import { PROBLEM_TYPE, routeOf } from '../logging/request-log.middleware.js';
import { PROBLEM_CONTENT_TYPE, pathOnly, type ProblemDetails } from './problem.js';
import { problemFor } from './problem-mapping.js';

/** Seconds a client should wait before retrying a 503: a database restart takes a few. */
export const RETRY_AFTER_SECONDS = 2;

/**
 * The answers that say when to ask again: a 503 (API.md), and a 504 for a `minPosition` not reached
 * in time, which a client asks again for just the same and had to guess when.
 */
export const saysWhenToRetry = (status: number): boolean => status === 503 || status === 504;

const logger = new Logger('Problem');

export function sendProblem(response: Response, problem: ProblemDetails): void {
  if (response.headersSent) return;
  if (saysWhenToRetry(problem.status))
    response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

function render(error: unknown, request: Request, response: Response): void {
  const path = pathOnly(request.originalUrl);
  const { problem, internal } = problemFor(error, path);
  // by its route, as the request's own line names it: the path is what the client typed, a citizen's
  // ID number or a member's name included (`/audit/members/<name>/hours`)
  if (internal)
    logger.error(
      `${request.method} ${routeOf(request)}: ${(error as Error)?.stack ?? String(error)}`,
    );
  if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  (response as Response & { [PROBLEM_TYPE]?: string })[PROBLEM_TYPE] = problem.type;
  sendProblem(response, problem);
}

/** Every error the application throws, the unknown-route 404 included, leaves as problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    render(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/**
 * Errors raised by Express middleware before Nest routes the request (body too large, malformed
 * JSON) never reach Nest's filters; this error handler, mounted right after the body parser, renders
 * them the same way.
 */
export function problemErrorMiddleware(
  error: unknown,
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  if (response.headersSent) return next(error);
  render(error, request, response);
}

import { isConnectionFailure } from '#event-store';
import { databaseOutage } from '../database/database-outage.js';
import { HttpException } from '@nestjs/common';
import { DomainError } from '#domain';
import { DuplicateEventId, WrongExpectedVersion } from '#event-store';
import {
  ProblemException,
  pathOnly,
  validationFailed,
  problemType,
  statusTitle,
  type ProblemDetails,
} from './problem.js';

const domainStatus = { rule: 422, not_found: 404, conflict: 409, forbidden: 403 } as const;

const codeForStatus = (status: number): string =>
  ({
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    405: 'method_not_allowed',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    422: 'unprocessable',
    429: 'too_many_requests',
    503: 'unavailable',
    504: 'timeout',
  })[status] ?? (status >= 500 ? 'internal_error' : 'client_error');

function make(status: number, code: string, detail: string, instance?: string): ProblemDetails {
  return {
    type: problemType(code),
    title: statusTitle(status),
    status,
    detail,
    ...(instance ? { instance } : {}),
    code,
  };
}

/** body-parser's errors carry a `type` and a `status`. */
type ParserError = Error & { type?: string; status?: number; limit?: number };

/**
 * JSON.parse's message without the body's text. V8 quotes up to ten characters either side of an
 * unexpected token (`Unexpected token 'N', ..."playName":Nguyễn Thị"... is not valid JSON`), and the
 * bodies here carry names and ID-card numbers: the answer (and whatever logs it on the way, a proxy, a
 * client's error report) would hold them outside their sealed form. Its other messages name only the
 * grammar and a position, and are kept.
 */
function unquoted(message: string): string {
  if (!/^Unexpected token|is not valid JSON/.test(message)) return message;
  const position = /at position (\d+)/.exec(message)?.[1];
  return position === undefined
    ? 'Unexpected token in JSON'
    : `Unexpected token in JSON at position ${position}`;
}

function fromParser(error: ParserError, instance?: string): ProblemDetails | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return make(
        413,
        'payload_too_large',
        `The request body is larger than the limit of ${error.limit ?? 'the server'} bytes.`,
        instance,
      );
    case 'entity.parse.failed':
      return make(
        400,
        'malformed_json',
        `The request body is not valid JSON: ${unquoted(error.message)}`,
        instance,
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return make(415, 'unsupported_media_type', error.message, instance);
    case 'request.aborted':
      return make(
        400,
        'request_aborted',
        'The request was aborted before its body was read.',
        instance,
      );
    default:
      return undefined;
  }
}

/**
 * body-parser inflates a gzip, deflate or br body through zlib and passes zlib's own error on when the
 * bytes do not decode (no status, no type): the client's fault, not the server's. zlib's codes are Z_*.
 */
function isUndecodableBody(error: unknown): error is Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  return error instanceof Error && typeof code === 'string' && /^Z_[A-Z_]+$/.test(code);
}

function httpDetail(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : error.message;
}

/**
 * The router's refusal of a path segment that is not percent-encoded UTF-8 (`/units/%ZZ/summary`):
 * a 400 whose message was its only content, and echoed the segment. Answered like such a query
 * parameter (utf8-query.middleware.ts): validation_failed naming the path. The router does not say
 * which parameter it was decoding.
 */
function undecodablePath(error: unknown): boolean {
  const message = error instanceof HttpException ? httpDetail(error) : (error as Error)?.message;
  const status =
    error instanceof HttpException ? error.getStatus() : (error as ParserError | undefined)?.status;
  return (
    status === 400 && typeof message === 'string' && message.startsWith('Failed to decode param')
  );
}

/**
 * Maps anything thrown while serving a request to its problem. `internal` is true when the error is
 * not one the application meant to answer with: it must be logged and its message not shown.
 */
export function problemFor(
  error: unknown,
  instance?: string,
): { problem: ProblemDetails; internal: boolean } {
  if (error instanceof ProblemException)
    return { problem: error.toProblem(instance), internal: false };
  if (undecodablePath(error)) {
    const refusal = validationFailed([
      {
        field: '(path)',
        message:
          'must be percent-encoded UTF-8 (it holds a byte sequence that encodes no character)',
      },
    ]);
    return { problem: refusal.toProblem(instance), internal: false };
  }
  if (error instanceof DomainError) {
    return {
      problem: make(domainStatus[error.kind], error.code, error.message, instance),
      internal: false,
    };
  }
  if (error instanceof WrongExpectedVersion) {
    return {
      problem: make(
        409,
        'concurrent_modification',
        `${error.streamId} was changed by another request at the same time; retry the request.`,
        instance,
      ),
      internal: false,
    };
  }
  if (error instanceof DuplicateEventId) {
    return {
      problem: make(
        409,
        'duplicate_id',
        'This id was already used for a different request.',
        instance,
      ),
      internal: false,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const cause = error.cause as ParserError | undefined;
    const parsed = cause?.type ? fromParser(cause, instance) : undefined;
    if (parsed) return { problem: parsed, internal: false };
    // Express's "Cannot GET /x?access_token=…" names the whole URL: the route, not its query, is shown.
    const detail =
      status === 404 && /^Cannot [A-Z]+ /.test(httpDetail(error))
        ? `No route ${pathOnly(httpDetail(error).slice(7))}.`
        : httpDetail(error);
    return {
      problem: make(
        status,
        codeForStatus(status),
        status >= 500 ? statusTitle(status) : detail,
        instance,
      ),
      internal: status >= 500,
    };
  }
  if (error instanceof Error && typeof (error as ParserError).type === 'string') {
    const parsed = fromParser(error as ParserError, instance);
    if (parsed) return { problem: parsed, internal: false };
  }
  if (isUndecodableBody(error))
    return {
      problem: make(
        400,
        'malformed_body',
        `The request body does not decode as its Content-Encoding says: ${error.message}.`,
        instance,
      ),
      internal: false,
    };
  if (isConnectionFailure(error)) {
    // Nothing was half-written: an append commits or rolls back whole with its command's log row, and
    // a command whose commit went through answers its result when resent with the same key
    // (CommandHandling in libs/commands). Not logged
    // per request: the outage logs one line when it starts and one when it ends.
    databaseOutage.failed(error);
    return {
      problem: make(
        503,
        'database_unavailable',
        'The database is unavailable for a moment; retry after Retry-After seconds (a resend with the same id records nothing twice).',
        instance,
      ),
      internal: false,
    };
  }
  return {
    problem: make(
      500,
      'internal_error',
      'The server failed to handle the request; it has been logged.',
      instance,
    ),
    internal: true,
  };
}

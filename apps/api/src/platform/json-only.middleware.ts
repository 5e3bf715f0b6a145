import { PROBLEM_CONTENT_TYPE, pathOnly, problemType } from '#platform';
import type { IncomingMessage, ServerResponse } from 'node:http';

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/** The API speaks JSON only: a request body of any other media type is refused with 415. */
export function jsonOnly(
  request: IncomingMessage & { originalUrl?: string },
  response: ServerResponse,
  next: () => void,
): void {
  const hasBody =
    Number(request.headers['content-length'] ?? 0) > 0 ||
    request.headers['transfer-encoding'] !== undefined;
  const type = request.headers['content-type'];
  if (!hasBody || (type && JSON_TYPE.test(type))) return next();
  const problem = {
    type: problemType('unsupported_media_type'),
    title: 'Unsupported Media Type',
    status: 415,
    detail: `Request bodies must be JSON (Content-Type: application/json), not ${type ?? 'untyped'}.`,
    instance: pathOnly(request.originalUrl ?? request.url ?? ''),
    code: 'unsupported_media_type',
  };
  response.statusCode = 415;
  response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
  response.end(JSON.stringify(problem));
}

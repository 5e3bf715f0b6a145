import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Refuses a body whose declared Content-Length is over the limit before reading any of it.
 *
 * body-parser refuses such a body too, but answers only once the request has ended (it drains the
 * body first, so the client is not cut off mid-upload): a client declaring 100 MB and sending a few
 * bytes held a request open until Node's request timeout, and one sending all of it had the server
 * read it to learn it was too large. The error is body-parser's own (`entity.too.large`), so the
 * problem+json answer is the one it gets after inflating a body; `Connection: close` lets Node end
 * the connection rather than read the rest of the body for the next request. A body with a
 * Content-Encoding is left to body-parser, which counts it once inflated.
 */
export function declaredLengthLimit(limit: number) {
  return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => {
    const length = Number(request.headers['content-length']);
    const encoding = request.headers['content-encoding']?.trim().toLowerCase() ?? 'identity';
    if (encoding !== 'identity' || !(length > limit)) return next();
    response.setHeader('Connection', 'close');
    next(
      Object.assign(new Error('request entity too large'), {
        type: 'entity.too.large',
        status: 413,
        expected: length,
        length,
        limit,
      }),
    );
  };
}

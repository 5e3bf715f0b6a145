import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Headers every answer carries (OWASP's HTTP headers cheat sheet), set before anything can answer:
 * a browser takes each body for the type it is sent as and sniffs no other (a JSON body quoting a
 * name someone typed stays JSON), and shows none of them inside another site's frame, where the
 * dashboard or /docs' "Try it out" could be clicked blind. The dashboard's own CSP says the same
 * with frame-ancestors; this covers /docs, which has none.
 *
 * An answer to a request with a token is stored nowhere, by a proxy nor on the disk of the browser
 * that read it: it may hold members' names, which the server itself never keeps on disk opened
 * (README "Known limits") and which must be gone once erased. What anyone may load keeps its caching.
 */
export function securityHeaders(
  request: IncomingMessage,
  response: ServerResponse,
  next: () => void,
): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  if (request.headers.authorization !== undefined) response.setHeader('Cache-Control', 'no-store');
  next();
}

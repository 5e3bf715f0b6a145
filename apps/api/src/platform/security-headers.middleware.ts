import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '#platform';

/**
 * The headers every answer carries (`SECURITY_HEADERS`, shared with the answers to what Node's HTTP
 * parser refuses), set before anything can answer. The dashboard's own CSP says the same about
 * frames with frame-ancestors; X-Frame-Options covers /docs, which has none.
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
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  if (request.headers.authorization !== undefined) response.setHeader('Cache-Control', 'no-store');
  next();
}

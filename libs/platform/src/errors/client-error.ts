import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from '../http/security-headers.js';
import { PROBLEM_CONTENT_TYPE, problemType, statusTitle } from './problem.js';

/** What Node's HTTP parser refused, by its error code; anything else it refuses is malformed HTTP. */
const refusals: Record<string, readonly [status: number, code: string, detail: string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'headers_too_large',
    'The request line and headers are larger than the server accepts (16 KiB).',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request did not arrive in time.'],
};
const malformed = [400, 'malformed_request', 'The request is not valid HTTP/1.1.'] as const;

type ClientSocket = Duplex & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * The server's `clientError` listener. Requests Node's HTTP parser refuses before any route sees them
 * (headers beyond 16 KiB, a URL with thousands of parameters, a malformed request line, a request that
 * never finished arriving) are otherwise answered by Node with a bare status line and no body. Here
 * they get the problem+json every other refusal gets, with the headers every answer carries, and the
 * connection is closed, as Node closes it. Nothing is written when a response on the connection has already begun (its bytes would be
 * corrupted), nor to a socket the peer reset. Answers the refusal it sent, for the log and metrics.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: ClientSocket,
): Readonly<{ status: number; type: string }> | undefined {
  const answering = socket._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return undefined;
  }
  const [status, code, detail] = refusals[error.code ?? ''] ?? malformed;
  const title = statusTitle(status);
  const type = problemType(code);
  const body = JSON.stringify({ type, title, status, detail, code });
  const security = Object.entries(SECURITY_HEADERS)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n${security}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  return { status, type };
}

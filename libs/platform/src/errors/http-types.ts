import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The few parts of Express's request and response this library touches (Express 5 ships no types and
 * @types/express is not a dependency).
 */
export type HttpRequest = IncomingMessage & {
  method: string;
  originalUrl: string;
  headers: IncomingMessage['headers'];
  route?: { path?: string };
  actor?: unknown;
};
export type HttpResponse = ServerResponse & {
  headersSent: boolean;
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  send(body: string): HttpResponse;
};
export type NextFunction = (error?: unknown) => void;

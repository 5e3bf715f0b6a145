import { request as httpRequest } from 'node:http';
import request from 'supertest';
import type { Actor } from '#platform';
import { buildGoProgram } from '../../harness/go-program.js';
import type { TestApp } from '../test-app.js';

/**
 * A real request and the server's real answer, as test/openapi-check's `exchanges` mode reads them.
 * `request`: `valid` (the document must take it), `invalid` (the server refused it as malformed, and
 * the document must refuse it too) or `skip` (a refusal the document cannot express: a rule across
 * fields, a state of the data).
 */
export type Exchange = {
  name: string;
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  requestBody: string | null;
  request: 'valid' | 'invalid' | 'skip';
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: string;
  skipResponseBody?: boolean;
};

export type Conformance = {
  operations: string[];
  covered: Record<string, number[]>;
  findings: { exchange: string; part: string; error: string }[];
};

export type Send = {
  as?: Actor | null;
  body?: unknown;
  /** A body sent as these exact bytes (with its own content type), not as JSON. */
  raw?: { type: string; text: string };
  headers?: Record<string, string>;
  request?: Exchange['request'];
};

/** Sends requests to the app and keeps every exchange, for kin-openapi to hold to the document. */
export class ExchangeRecorder {
  readonly exchanges: Exchange[] = [];
  constructor(private readonly t: TestApp) {}

  async send(
    method: 'get' | 'post' | 'delete',
    path: string,
    options: Send = {},
  ): Promise<request.Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.Authorization = await this.t.bearer(options.as);
    let body: string | null = null;
    if (options.raw) {
      headers['Content-Type'] = options.raw.type;
      body = options.raw.text;
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let req = request(this.t.server)[method](path);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    // Every answer kept as its text, whatever its type (supertest buffers only text types itself).
    req = req.buffer(true).parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });
    const res = body === null ? await req : await req.send(body);
    const text = res.body as string;
    this.keep(
      method,
      path,
      headers,
      body,
      options.request ?? 'valid',
      res.status,
      res.headers,
      text,
    );
    return Object.assign(res, { text, body: parsed(res.headers['content-type'], text) });
  }

  /**
   * A stream that never ends (server-sent events): its status and headers, then hang up. `inQuery`
   * sends the token as `access_token`, as an EventSource, which cannot set a header, does.
   */
  async openStream(
    path: string,
    as: Actor,
    inQuery = false,
  ): Promise<{ status: number; type: string }> {
    const base = await this.t.url();
    const bearer = await this.t.bearer(as);
    const headers: Record<string, string> = inQuery ? {} : { Authorization: bearer };
    if (inQuery) path += `${path.includes('?') ? '&' : '?'}access_token=${bearer.slice(7)}`;
    const answer = await new Promise<{ status: number; headers: Record<string, string> }>(
      (resolve, reject) => {
        const req = httpRequest(`${base}${path}`, { headers }, (res) => {
          resolve({ status: res.statusCode!, headers: res.headers as Record<string, string> });
          req.destroy();
        });
        req.on('error', (error) => (req.destroyed ? undefined : reject(error)));
        req.end();
      },
    );
    this.keep('get', path, headers, null, 'valid', answer.status, answer.headers, '', true);
    return { status: answer.status, type: answer.headers['content-type'] ?? '' };
  }

  private keep(
    method: string,
    path: string,
    requestHeaders: Record<string, string>,
    requestBody: string | null,
    requestExpectation: Exchange['request'],
    status: number,
    headers: Record<string, unknown>,
    responseBody: string,
    skipResponseBody = false,
  ) {
    this.exchanges.push({
      name: `${method.toUpperCase()} ${path} → ${status}`,
      method: method.toUpperCase(),
      path,
      requestHeaders,
      requestBody,
      request: requestExpectation,
      status,
      responseHeaders: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name, String(value)]),
      ),
      responseBody,
      skipResponseBody,
    });
  }
}

function parsed(type: string | undefined, text: string): unknown {
  return type && /json/.test(type) && text ? JSON.parse(text) : {};
}

/** Holds every exchange to the served document with kin-openapi's openapi3filter (test/openapi-check). */
export async function checkExchanges(
  t: TestApp,
  exchanges: Exchange[],
): Promise<{ document: never; result: Conformance }> {
  const document = await request(t.server).get('/docs-json');
  const program = buildGoProgram(
    'test/openapi-check',
    'the conformance suite holds real requests and answers to /docs with kin-openapi openapi3filter',
  );
  try {
    const run = program.run(JSON.stringify({ document: document.body, exchanges }), ['exchanges']);
    if (!run.ok) throw new Error(`openapi-check exchanges failed: ${run.stderr}`);
    return { document: document.body as never, result: JSON.parse(run.stdout) as Conformance };
  } finally {
    program.remove();
  }
}

import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signToken, type Actor } from '#platform';
import { createApp, type CreateAppOptions } from '../../apps/api/src/app.factory.js';
import { createTestDatabase } from '../harness/database.js';

/** The content type of every refusal (RFC 9457 problem+json), as the tests match it. */
export const PROBLEM = /^application\/problem\+json/;

export const TEST_JWT_SECRET = 'test-secret-of-sufficient-length-0123456789';

export type TestApp = Readonly<{
  app: INestApplication;
  /** The HTTP server, for supertest's `request(server)`. */
  server: ReturnType<INestApplication['getHttpServer']>;
  databaseUrl: string;
  /** The server's base URL (`http://127.0.0.1:<port>`), listening first if it does not yet (supertest needs no port). */
  url(): Promise<string>;
  /** A bearer header value for this actor, e.g. `.set('Authorization', await t.bearer({ sub: 'm1', role: 'volunteer' }))`. */
  bearer(actor: Actor): Promise<string>;
  close(): Promise<void>;
}>;

/**
 * The real application on a database of its own (every suite gets one), with a fixed JWT secret and
 * a throwaway DATA_DIR. Options pass through to createApp (e.g. `{ worker: false }`, `bodyLimit`).
 */
export async function startTestApp(
  prefix: string,
  options: CreateAppOptions = {},
): Promise<TestApp> {
  const db = await createTestDatabase(prefix);
  const dataDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  let app: INestApplication;
  try {
    app = await createApp({
      databaseUrl: db.url,
      dataDir,
      jwtSecret: TEST_JWT_SECRET,
      // One line per request would bury the test report: errors only, unless LOG_LEVEL says more.
      env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'error', LOG_FORMAT: 'json' },
      ...options,
    });
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    app,
    server: app.getHttpServer(),
    databaseUrl: db.url,
    url: async () => {
      const server = app.getHttpServer() as Server;
      if (!server.listening) await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    bearer: async (actor) => `Bearer ${await signToken(actor, TEST_JWT_SECRET)}`,
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes `text` on a fresh connection and resolves with everything the server sends until it closes. */
export function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

#!/usr/bin/env node
import 'reflect-metadata';
import cluster from 'node:cluster';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { ConfigError, drainOutput, loadConfig, StartFailure, startFailureOf } from '#platform';
import { superviseApiProcesses } from './api-processes.js';
import { createApp } from './app.factory.js';

/**
 * `npm start`: the API and the worker in one process (or API_PROCESSES of them, see
 * api-processes.ts). Signals are handled here rather than by Nest's
 * enableShutdownHooks so that the embedded PostgreSQL stops only after every module let go of it.
 */
async function main(): Promise<void> {
  const logger = new Logger('Main');
  // RUN_WORKER=false serves HTTP only, for deployments that run apps/worker separately (docker/compose.yml).
  const worker = process.env.RUN_WORKER !== 'false';
  const config = loadConfig(process.env);
  if (cluster.isPrimary && config.apiProcesses > 1) return superviseApiProcesses(config, worker);
  // The configuration as overrides of every setting: createApp reads no environment of its own.
  const starting = createApp({ ...config, worker }).catch((error: unknown) => {
    throw startFailureOf(error, config);
  });
  // The signals are handled from here on, not once the app is up: a Ctrl-C while the embedded
  // PostgreSQL starts or the modules initialise would otherwise end this process at once and leave the
  // cluster (a detached child) running. It waits for the start to finish, then stops what started.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    const timer = setTimeout(() => {
      logger.error('shutdown took longer than 30 s; exiting');
      process.exit(1);
    }, 30_000);
    timer.unref();
    const app = await starting.catch(() => undefined);
    if (app) {
      // Requests still running after 10 s are cut short (a body trickling in may take
      // HTTP_REQUEST_TIMEOUT, 30 s): waiting for them, the 30 s limit above could end the process
      // before the shutdown hooks run, leaving the embedded PostgreSQL running. A client resends a
      // command it got no answer to, with its id, and is answered once.
      const cut = setTimeout(() => (app.getHttpServer() as Server).closeAllConnections(), 10_000);
      cut.unref();
      await app.close();
    }
    await drainOutput();
    process.exit(0);
  };
  // SIGHUP too: a terminal closed or an ssh session dropped under `npm start` sends it, and its
  // default ended the process at once, leaving the embedded PostgreSQL running with nobody to stop it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(signal));

  const app = await starting;
  if (stopping) return;
  const host = process.env.HOST ?? '0.0.0.0';
  try {
    await app.listen(config.port, host);
  } catch (error) {
    // A port another process holds, or one this user may not take, is the operator's to fix: said in
    // one line. The app closes first, which stops the embedded PostgreSQL it started; exiting at once
    // left that cluster running with nobody to stop it.
    await app.close().catch(() => undefined);
    await drainOutput();
    throw listenFailure(host, config.port, error as NodeJS.ErrnoException);
  }
  // Nest's getUrl() writes 0.0.0.0 as 127.0.0.1: said alone, it would tell an operator that the API
  // is reachable from this machine only, while every interface reaches it.
  const url = await app.getUrl();
  logger.log(
    host === '0.0.0.0' || host === '::'
      ? `listening on every interface, port ${config.port} (${url} from this machine; OpenAPI at /docs)`
      : `listening on ${url} (OpenAPI at /docs)`,
  );
}

/** The HTTP port could not be taken: why, in the operator's terms. */
function listenFailure(host: string, port: number, cause: NodeJS.ErrnoException): StartFailure {
  const why =
    cause.code === 'EADDRINUSE'
      ? 'it is in use (EADDRINUSE): stop what holds it, or set PORT'
      : cause.code === 'EACCES'
        ? 'this user may not take it (EACCES): set PORT above 1023'
        : cause.code === 'EADDRNOTAVAIL'
          ? 'no interface of this machine has that address (EADDRNOTAVAIL): check HOST'
          : cause.message;
  return new StartFailure(`cannot listen on ${host} port ${port}: ${why}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartFailure)
    process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});

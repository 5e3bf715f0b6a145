#!/usr/bin/env node
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigError,
  type AppConfig,
  createLogger,
  drainOutput,
  initMetrics,
  loadConfig,
  NestLogger,
  exitForRestart,
  openDatabase,
  StartFailure,
  startFailureOf,
} from '#platform';
import { WorkerModule } from './worker.module.js';

/**
 * The worker on its own, for deployments that scale it apart from the API (docker/compose.yml).
 * `npm start` runs the same modules inside the API process instead.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger({ level: config.logLevel, format: config.logFormat });
  Logger.overrideLogger(new NestLogger(log));
  const logger = new Logger('Worker');
  initMetrics();
  // The signals are handled from here on, not once the modules are up: a SIGTERM while the embedded
  // PostgreSQL starts or the modules initialise ended the process at once and left the cluster (a
  // detached child) running with nobody to stop it. It waits for the start to finish, then stops
  // what started (as apps/api's main.ts does).
  let stopping = false;
  const starting = start(config, logger, log).catch((error: unknown) => {
    throw startFailureOf(error, config);
  });
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: shutting down`);
    setTimeout(() => process.exit(1), 30_000).unref();
    const started = await starting.catch(() => undefined);
    if (started) {
      try {
        await started.app.close();
      } finally {
        await started.database.stop();
      }
    }
    await drainOutput();
    process.exit(0);
  };
  // SIGHUP too (a terminal closed, an ssh session dropped), as apps/api's main.ts says
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(signal));
  await starting;
  if (!stopping)
    logger.log(`running projections${config.kafkaBrokers ? ' and the Kafka relay' : ''}`);
}

/** Opens the database (starting the embedded PostgreSQL) and initialises the worker's modules. */
async function start(config: AppConfig, logger: Logger, log: ReturnType<typeof createLogger>) {
  const database = await openDatabase(config, (line) => logger.log(`[postgres] ${line}`), {
    keepRunning: { onLost: (why) => exitForRestart(logger, why) },
  });
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({ config, databaseUrl: database.url }),
    {
      logger: new NestLogger(log),
      abortOnError: false,
    },
  ).catch(async (error: unknown) => {
    await database.stop();
    throw error;
  });
  await app.init();
  return { app, database };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartFailure)
    process.stderr.write(`${error.message}\n`);
  else
    process.stderr.write(`worker failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});

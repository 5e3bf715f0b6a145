import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';
import {
  createLogger,
  drainOutput,
  forwardLines,
  NestLogger,
  TERMINAL,
  openDatabase,
  serveClusterMetrics,
  type AppConfig,
} from '#platform';

/**
 * `API_PROCESSES=N` (N > 1): N API processes share the port, and this one only supervises them.
 *
 * One Node process answers on one core: on the 2-core bench machine a single API process saturated
 * its core near 1,000 commands/s while PostgreSQL had room (bench/RESULTS.md, "HTTP commands"). Node's
 * cluster lets this process accept connections and hand each to a child in turn; a kept-alive
 * connection stays with its child. Nothing a request relies on lives only in one process: idempotency,
 * versions and the member guard are in the database, and each process's caches of folded streams are
 * checked by the append's expected version. Only the first child runs the worker (projections, relay),
 * as there must be one per deployment.
 *
 * This process opens the database first (starting the embedded PostgreSQL when DATABASE_URL is unset)
 * and hands its URL to the children, so that there is one server; `loadConfig` has already created
 * the JWT secret and audit key in DATA_DIR, which the children read. A child that dies stops the
 * others and this process exits non-zero, for the supervisor to restart the whole: a half-served port
 * is worse than a restart.
 */
export async function superviseApiProcesses(config: AppConfig, worker: boolean): Promise<void> {
  // The supervisor's lines (the embedded PostgreSQL, a child that died, the shutdown) go through the
  // configured logger like the children's: with Nest's default one they came out coloured, in Nest's
  // own format, whatever LOG_FORMAT and LOG_LEVEL said, and a collector reading JSON dropped them.
  Logger.overrideLogger(
    new NestLogger(createLogger({ level: config.logLevel, format: config.logFormat, pid: true })),
  );
  const logger = new Logger('Main');
  // The signals are handled from before the embedded PostgreSQL starts: a SIGTERM while it started
  // ended this process at once and left the cluster (a detached child) running with nobody to stop it.
  // The stop waits for the start to finish, then stops what started.
  const opening = openDatabase(config, (line) => logger.log(`[postgres] ${line}`), {
    keepRunning: { onLost: (why) => void stop(1, why) },
  });
  const children = new Set<Worker>();
  // What the children wrote and this process has yet to copy (forwardLines).
  const forwarding = new Set<Promise<void>>();
  let stopping: Promise<void> | undefined;

  const stop = (code: number, why: string) =>
    (stopping ??= (async () => {
      logger.log(`${why}: stopping ${children.size} API processes`);
      const timer = setTimeout(() => {
        logger.error('shutdown took longer than 30 s; exiting');
        process.exit(1);
      }, 30_000);
      timer.unref();
      const gone = [...children].map(
        (child) => new Promise<void>((done) => child.once('exit', () => done())),
      );
      for (const child of children) child.process.kill('SIGTERM');
      await Promise.all(gone);
      await Promise.all(forwarding);
      await (await opening.catch(() => undefined))?.stop();
      await drainOutput();
      process.exit(code);
    })());

  cluster.on('exit', (child, code, signal) => {
    children.delete(child);
    // Exit code 0: it was asked to stop (Ctrl-C reaches every process of the terminal's group at once).
    if (stopping) return;
    const why = `API process ${child.process.pid} exited (${signal ?? code})`;
    if (code !== 0) logger.error(`${why}: the others stop, and this process exits 1 for a restart`);
    void stop(code === 0 ? 0 : 1, why);
  });
  // SIGHUP too (a terminal closed, an ssh session dropped), as main.ts says
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void stop(0, signal));
  const database = await opening;
  if (stopping) return;
  serveClusterMetrics();

  // Each child writes to a pipe of its own, and this process copies whole lines to the output they
  // shared (forwardLines).
  cluster.setupPrimary({ silent: true });
  for (let i = 0; i < config.apiProcesses; i++) {
    const child = cluster.fork({
      DATABASE_URL: database.url,
      RUN_WORKER: worker && i === 0 ? 'true' : 'false',
      // on a pipe of this process's, a child would choose JSON where LOG_FORMAT is unset; it writes
      // what this process chose for its own output, coloured when that is a terminal
      LOG_FORMAT: config.logFormat,
      [TERMINAL]: String(process.stdout.isTTY === true),
    });
    children.add(child);
    for (const [source, target] of [
      [child.process.stdout!, 'stdout'],
      [child.process.stderr!, 'stderr'],
    ] as const)
      forwarding.add(forwardLines(source, target, config.logFormat));
  }
  logger.log(`${config.apiProcesses} API processes share port ${config.port}`);
}

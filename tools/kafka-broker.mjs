// Runs a single-node Apache Kafka 4 broker in KRaft mode from the jars on Maven Central.
// The jars are fetched once with Maven (tools/kafka/pom.xml) into a git-ignored cache.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import net from 'node:net';
import { freePort } from './embedded-postgres.mjs';

const here = new URL('.', import.meta.url).pathname;
export const defaultCache = resolve(here, '..', '.cache', 'kafka');

function has(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return result.status === 0;
}

/** Fetches the broker's jars from Maven Central unless the cache holds them already. */
export function ensureKafkaJars(cache = defaultCache) {
  const libs = join(cache, 'libs');
  if (existsSync(libs) && readdirSync(libs).some((f) => f.startsWith('kafka_2.13-'))) return libs;
  const missing = [];
  if (!has('java', ['-version']))
    missing.push('Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless)');
  if (!has('mvn', ['-v'])) missing.push('Maven (Debian: apt-get install -y maven)');
  if (missing.length > 0) {
    throw new Error(
      `A local Kafka broker is needed for the tests and its jars are not cached in ${libs}.\n` +
        `Install ${missing.join(' and ')}, or set KAFKA_BROKERS=host:port to use a running broker.`,
    );
  }
  mkdirSync(cache, { recursive: true });
  const fetch = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      resolve(here, 'kafka', 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${libs}`,
    ],
    { stdio: 'inherit' },
  );
  if (fetch.status !== 0)
    throw new Error(`Maven could not fetch the Kafka broker jars (exit ${fetch.status}).`);
  return libs;
}

function waitForPort(port, timeoutMs, isAlive) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((done, fail) => {
    const attempt = () => {
      if (!isAlive()) return fail(new Error('the Kafka broker exited during start-up'));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline)
          fail(new Error(`Kafka did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 250);
      });
    };
    attempt();
  });
}

/**
 * Starts a broker whose data lives in `dir` (wiped first unless `keep`). Returns
 * `{ brokers, port, pid, stop, kill, restart }`; `kill` is SIGKILL, for fault tests.
 */
export async function startKafkaBroker({
  dir,
  port,
  cache = defaultCache,
  keep = false,
  log = () => {},
}) {
  if (!has('java', ['-version'])) {
    throw new Error(
      'Java 17 or newer is needed to run the local Kafka broker (apt-get install -y openjdk-17-jre-headless), or set KAFKA_BROKERS.',
    );
  }
  const libs = ensureKafkaJars(cache);
  const brokerPort = port ?? (await freePort());
  // Neither port is bound until Kafka starts, so freePort may hand out the broker's again: Kafka then
  // refused to format its storage ("two listeners on the same port"), seen once in a CI run.
  let controllerPort = await freePort();
  while (controllerPort === brokerPort) controllerPort = await freePort();
  const dataDir = join(dir, 'data');
  if (!keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      'inter.broker.listener.name=PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=3',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=3',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      // The relay's transactions create this log at their first use: 3 partitions, not 50, start at once.
      'transaction.state.log.num.partitions=3',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'auto.create.topics.enable=true',
      '',
    ].join('\n'),
  );
  const classpath = `${libs}/*`;
  const jvm = [
    '-Xms256m',
    '-Xmx768m',
    '-XX:+UseG1GC',
    '-Djava.awt.headless=true',
    '-cp',
    classpath,
  ];
  if (!existsSync(join(dataDir, 'meta.properties'))) {
    // A static quorum (controller.quorum.voters above), so no `--standalone`: Kafka refuses it with
    // voters configured, and trying it first cost every start a second JVM. The tool runs for a second
    // or two: the client compiler and the serial collector start it in a third of the broker's JVM's time.
    const format = spawnSync(
      'java',
      [
        '-Xmx256m',
        '-XX:TieredStopAtLevel=1',
        '-XX:+UseSerialGC',
        '-Djava.awt.headless=true',
        '-cp',
        classpath,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        'vc-local-cluster-01',
        '-c',
        config,
      ],
      { encoding: 'utf8' },
    );
    if (format.status !== 0)
      throw new Error(`Kafka storage format failed:\n${format.stdout}\n${format.stderr}`);
  }
  let child;
  const launch = async () => {
    child = spawn('java', [...jvm, 'kafka.Kafka', config], {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    child.stdout.on('data', (d) => log(String(d)));
    child.stderr.on('data', (d) => log(String(d)));
    await waitForPort(brokerPort, 90_000, () => !exited);
  };
  await launch();
  const waitExit = (proc) =>
    new Promise((done) =>
      proc.exitCode !== null || proc.signalCode !== null ? done() : proc.once('exit', done),
    );
  return {
    brokers: `127.0.0.1:${brokerPort}`,
    port: brokerPort,
    get pid() {
      return child.pid;
    },
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await waitExit(child);
      clearTimeout(timer);
    },
    async kill() {
      child.kill('SIGKILL');
      await waitExit(child);
    },
    restart: launch,
  };
}

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type LocalBroker = Readonly<{
  brokers: string;
  port: number;
  /** The broker's JVM, for signals (SIGSTOP freezes it: connections stay open, nothing answers). */
  readonly pid: number;
  stop(): Promise<void>;
  /** SIGKILL: the broker dies without a clean shutdown. */
  kill(): Promise<void>;
  /** Starts the broker again on the same port and data. */
  restart(): Promise<void>;
}>;

type BrokerTool = { startKafkaBroker(options: { dir: string }): Promise<LocalBroker> };

/**
 * A Kafka broker of its own for a fault suite (tools/kafka-broker.mjs), so that killing it never
 * disturbs the suites sharing the harness's broker. Its data lives under `.test-run/`.
 */
export async function startDedicatedBroker(name: string): Promise<LocalBroker> {
  const tool = pathToFileURL(resolve(process.cwd(), 'tools', 'kafka-broker.mjs')).href;
  const { startKafkaBroker } = (await import(tool)) as BrokerTool;
  return startKafkaBroker({
    dir: resolve(process.cwd(), '.test-run', `kafka-${name}-${process.pid}`),
  });
}

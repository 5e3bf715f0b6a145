import cluster from 'node:cluster';
import { AggregatorRegistry, register } from 'prom-client';

/**
 * With API_PROCESSES > 1 every process counts its own requests, and a scrape lands on whichever process
 * the cluster hands its connection to: on its own it would report that process's share and jump
 * between scrapes. So the process that gets the scrape asks the supervisor, which gathers every
 * process's metrics (prom-client's cluster aggregation: counters and histograms summed, gauges as each
 * metric says) and answers with the whole.
 */
const ASK = 'api:metrics-ask';
const ANSWER = 'api:metrics-answer';
const WAIT_MS = 5_000;

type Ask = Readonly<{ type: typeof ASK; id: number }>;
type Answer = Readonly<{ type: typeof ANSWER; id: number; text?: string; error?: string }>;

/** In the supervisor: answers the children's asks with every child's metrics together. */
export function serveClusterMetrics(): void {
  const registry = new AggregatorRegistry();
  cluster.on('message', (child, message: Partial<Ask>) => {
    if (message?.type !== ASK) return;
    const id = message.id!;
    registry.clusterMetrics().then(
      (text) => child.send({ type: ANSWER, id, text } satisfies Answer),
      (error: Error) => child.send({ type: ANSWER, id, error: error.message } satisfies Answer),
    );
  });
}

const pending = new Map<number, (answer: Answer) => void>();
let asks = 0;

/** In a child: answer the supervisor's gathering (prom-client listens once it is constructed). */
export function joinClusterMetrics(): void {
  if (!cluster.isWorker) return;
  new AggregatorRegistry();
  process.on('message', (message: Partial<Answer>) => {
    if (message?.type === ANSWER) pending.get(message.id!)?.(message as Answer);
  });
}

/** What a scrape should see: this process's metrics, or every API process's under a supervisor. */
export function scrapeMetrics(): Promise<string> {
  if (!cluster.isWorker || !process.send) return register.metrics();
  const id = ++asks;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the supervisor did not gather the metrics within ${WAIT_MS} ms`));
    }, WAIT_MS);
    pending.set(id, (answer) => {
      clearTimeout(timer);
      pending.delete(id);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(`gathering the metrics failed: ${answer.error ?? 'no answer'}`));
    });
    process.send!({ type: ASK, id } satisfies Ask);
  });
}

import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

/** What `bench/main.ts` hands every bench module. */
export type BenchContext = Readonly<{
  databaseUrl: string;
  kafkaBrokers?: string;
  report: (section: string, lines: string[]) => void;
}>;

export type Measurement = { events: number; seconds: number; latenciesMs: number[] };

export function emptyMeasurement(): Measurement {
  return { events: 0, seconds: 0, latenciesMs: [] };
}

export function merge(into: Measurement, more: Measurement): Measurement {
  into.events += more.events;
  into.seconds += more.seconds;
  for (const latency of more.latenciesMs) into.latenciesMs.push(latency);
  return into;
}

/**
 * Runs `workers` loops in parallel for `durationMs`; each call of `operation` returns how many events it
 * wrote or read, and its latency is recorded.
 */
export async function runFor(
  workers: number,
  durationMs: number,
  operation: (worker: number, iteration: number) => Promise<number>,
): Promise<Measurement> {
  const latenciesMs: number[] = [];
  let events = 0;
  const started = performance.now();
  const until = started + durationMs;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      for (let i = 0; performance.now() < until; i++) {
        const t0 = performance.now();
        const done = await operation(worker, i);
        events += done;
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { events, seconds: (performance.now() - started) / 1000, latenciesMs };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function rate(m: Measurement): number {
  return m.seconds > 0 ? m.events / m.seconds : 0;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One markdown table row: scenario, store and raw rates, latencies, ratio against the target. */
export function comparisonRow(
  name: string,
  store: Measurement,
  raw: Measurement,
  targetPercent: number,
): string {
  const ratio = (100 * rate(store)) / Math.max(1e-9, rate(raw));
  const verdict = ratio >= targetPercent ? 'met' : 'MISSED';
  return (
    `| ${name} | ${fmt(rate(store))} | ${fmt(percentile(store.latenciesMs, 50), 2)} / ${fmt(percentile(store.latenciesMs, 99), 2)} ` +
    `| ${fmt(rate(raw))} | ${fmt(percentile(raw.latenciesMs, 50), 2)} / ${fmt(percentile(raw.latenciesMs, 99), 2)} ` +
    `| ${fmt(ratio, 1)} % | ≥ ${targetPercent} % ${verdict} |`
  );
}

export const comparisonHeader = [
  '| scenario | store events/s | store p50 / p99 ms | raw events/s | raw p50 / p99 ms | store / raw | target |',
  '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
];

/** The machine a figure was measured on: kernel, CPU model, cores, Node. */
export function machineLine(): string {
  const uname = (() => {
    try {
      return execSync('uname -a').toString().trim();
    } catch {
      return `${process.platform} ${process.arch}`;
    }
  })();
  return `${uname} · CPU: ${cpus()[0]?.model ?? 'unknown'} · ${cpus().length} cores · Node ${process.version}`;
}

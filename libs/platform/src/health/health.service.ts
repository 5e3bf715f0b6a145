import { Injectable } from '@nestjs/common';

export type HealthReport = Readonly<{ healthy: boolean; [detail: string]: unknown }>;
export type HealthCheck = () => Promise<HealthReport>;

export type HealthOptions = Readonly<{
  /**
   * Whether the process can serve requests without this component (default false: it cannot). The
   * Kafka relay is one: while the broker is away commands and reads are served and its backlog grows,
   * so it makes the process degraded, not unready; a readiness probe must not stop the API for it.
   */
  optional?: boolean;
}>;

/** `ready`: every component needed to serve requests is healthy; `degraded`: an optional one is not. */
export type HealthSummary = Readonly<{
  healthy: boolean;
  degraded: boolean;
  components: Record<string, HealthReport>;
}>;

/**
 * Components (database, projections, relay) register a check; `/health` runs them all.
 * Registering by name keeps the platform free of dependencies on the components.
 *
 * `/health` needs no token, so anyone can ask for it as often as they like: probes that arrive while
 * a report is being made share that report, and a flood costs one report at a time. (32 clients
 * looping on it made every check run 32 times over: 8 answers a second, each taking 4.7 s, and the
 * dashboards' reads went from 4 ms to 2.1 s.) A shared report is one begun after the probe arrived
 * or moments before: never older than the longest check.
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, { check: HealthCheck; optional: boolean }>();
  private inFlight: Promise<HealthSummary> | undefined;

  register(name: string, check: HealthCheck, options: HealthOptions = {}): void {
    this.checks.set(name, { check, optional: options.optional ?? false });
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  report(): Promise<HealthSummary> {
    this.inFlight ??= this.checkAll().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async checkAll(): Promise<HealthSummary> {
    const components: Record<string, HealthReport> = {};
    await Promise.all(
      [...this.checks].map(async ([name, { check }]) => {
        try {
          components[name] = await check();
        } catch (error) {
          components[name] = { healthy: false, error: (error as Error).message };
        }
      }),
    );
    const failing = Object.keys(components).filter((name) => !components[name]!.healthy);
    const required = failing.filter((name) => !this.checks.get(name)?.optional);
    return {
      healthy: required.length === 0,
      degraded: required.length === 0 && failing.length > 0,
      components,
    };
  }
}

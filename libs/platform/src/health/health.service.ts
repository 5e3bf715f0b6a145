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
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, { check: HealthCheck; optional: boolean }>();

  register(name: string, check: HealthCheck, options: HealthOptions = {}): void {
    this.checks.set(name, { check, optional: options.optional ?? false });
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  async report(): Promise<HealthSummary> {
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

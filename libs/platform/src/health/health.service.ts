import { Injectable } from '@nestjs/common';

export type HealthReport = Readonly<{ healthy: boolean; [detail: string]: unknown }>;
export type HealthCheck = () => Promise<HealthReport>;

/**
 * Components (database, projections, relay) register a check; `/health` runs them all.
 * Registering by name keeps the platform free of dependencies on the components.
 */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  async report(): Promise<{ healthy: boolean; components: Record<string, HealthReport> }> {
    const components: Record<string, HealthReport> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          components[name] = await check();
        } catch (error) {
          components[name] = { healthy: false, error: (error as Error).message };
        }
      }),
    );
    return { healthy: Object.values(components).every((c) => c.healthy), components };
  }
}

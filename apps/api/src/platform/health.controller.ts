import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthService, Public, RETRY_AFTER_SECONDS } from '#platform';

const startedAt = Date.now();

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /**
   * Liveness and readiness: 200 while the process can serve requests (status `ok`, or `degraded` when
   * an optional component such as the Kafka relay is failing), 503 when a required one is not
   * (the database, the projections).
   */
  @Public()
  @Get('health')
  @ApiOkResponse({
    description:
      'status (ok, degraded, unavailable), database reachability and every component report (projection lag, relay backlog)',
  })
  async check(
    @Res({ passthrough: true })
    response: {
      status(code: number): unknown;
      setHeader(name: string, value: string): unknown;
    },
  ) {
    const report = await this.health.report();
    response.status(report.healthy ? 200 : 503);
    // as every 503 of the API says: a probe or a load balancer asks again after that long
    if (!report.healthy) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    return {
      status: report.healthy ? (report.degraded ? 'degraded' : 'ok') : 'unavailable',
      database: { reachable: report.components.database?.healthy === true },
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components: report.components,
    };
  }
}

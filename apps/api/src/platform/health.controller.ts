import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthService, Public, RETRY_AFTER_HEADER, RETRY_AFTER_SECONDS } from '#platform';

/** The report, the same with 200 and 503 (never problem+json: a probe reads which component fails). */
const HEALTH = {
  type: 'object' as const,
  required: ['status', 'database', 'uptimeSeconds', 'components'],
  properties: {
    status: { type: 'string' as const, enum: ['ok', 'degraded', 'unavailable'] },
    database: {
      type: 'object' as const,
      required: ['reachable'],
      properties: { reachable: { type: 'boolean' as const } },
    },
    uptimeSeconds: { type: 'integer' as const },
    components: {
      type: 'object' as const,
      description:
        'per component (database, projections, auditLog, relay…): healthy, and what it reports (projection lag, relay backlog)',
      additionalProperties: {
        type: 'object' as const,
        required: ['healthy'],
        properties: { healthy: { type: 'boolean' as const }, error: { type: 'string' as const } },
        additionalProperties: true,
      },
    },
  },
};

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
    schema: HEALTH,
  })
  @ApiServiceUnavailableResponse({
    description: 'a required component (the database, the projections) is failing',
    schema: HEALTH,
    headers: RETRY_AFTER_HEADER,
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

import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthService, Public } from '#platform';

const startedAt = Date.now();

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Liveness and readiness: 200 when every registered component is healthy, 503 otherwise. */
  @Public()
  @Get('health')
  @ApiOkResponse({
    description:
      'status, database reachability and every component report (projection lag among them)',
  })
  async check(@Res({ passthrough: true }) response: { status(code: number): unknown }) {
    const report = await this.health.report();
    response.status(report.healthy ? 200 : 503);
    return {
      status: report.healthy ? 'ok' : 'unavailable',
      database: { reachable: report.components.database?.healthy === true },
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      components: report.components,
    };
  }
}

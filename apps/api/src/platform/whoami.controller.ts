import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentActor, ROLES, type Actor } from '#platform';
import { ServerStateQuery } from '../queries/shared/query-params.js';

@ApiTags('operations')
@ApiBearerAuth('bearer')
@Controller('auth')
export class WhoAmIController {
  /** What the server reads from the caller's token: lets a client check a token before using it. */
  @Get('whoami')
  @ApiOkResponse({
    description: '{ sub, role, unitId? } of the bearer token',
    schema: {
      type: 'object',
      required: ['sub', 'role'],
      properties: {
        sub: { type: 'string' },
        role: { type: 'string', enum: [...ROLES] },
        unitId: { type: 'string', description: "the root of the token's subtree (none: all)" },
      },
    },
  })
  @ApiProblems(401)
  whoami(@CurrentActor() actor: Actor, @Query() _query: ServerStateQuery): Actor {
    return actor;
  }
}

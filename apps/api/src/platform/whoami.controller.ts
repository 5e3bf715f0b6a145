import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentActor, type Actor } from '#platform';

@ApiTags('operations')
@ApiBearerAuth('bearer')
@Controller('auth')
export class WhoAmIController {
  /** What the server reads from the caller's token: lets a client check a token before using it. */
  @Get('whoami')
  @ApiOkResponse({ description: '{ sub, role, unitId? } of the bearer token' })
  @ApiProblems(401)
  whoami(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}

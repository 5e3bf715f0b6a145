import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Min, ValidateNested } from 'class-validator';
import { Conflict, DomainRuleViolation, Forbidden, NotFound } from '#domain';
import { WrongExpectedVersion } from '#event-store';
import { CurrentActor, Public, Roles, type Actor } from '#platform';

class WindowDto {
  @Matches(/^\d{2}:\d{2}$/, { message: 'from must be a time of day HH:mm' }) from!: string;
  @Matches(/^\d{2}:\d{2}$/, { message: 'to must be a time of day HH:mm' }) to!: string;
}

class ProbeDto {
  @IsString() name!: string;
  @IsIn(['ward', 'branch']) kind!: string;
  @IsOptional() @IsInt() @Min(1) citizens?: number;
  @ValidateNested() @Type(() => WindowDto) dailyWindow!: WindowDto;
}

const domainErrors = {
  rule: () => new DomainRuleViolation('shift_overlaps', 'The shift would overlap shift s-1.'),
  not_found: () => new NotFound('shift_not_found', 'No shift s-9.'),
  conflict: () => new Conflict('shift_not_open', 'Shift s-2 is already ended.'),
  forbidden: () => new Forbidden('own_shift', 'Nobody verifies their own shift.'),
} as const;

/** Routes that exist only in the platform's tests, to exercise the pipeline without business code. */
@Controller('probe')
class ProbeController {
  @Post('validate')
  validate(@Body() body: ProbeDto) {
    return { isDto: body instanceof ProbeDto, body };
  }

  @Get('domain/:kind')
  domain(@Param('kind') kind: keyof typeof domainErrors) {
    throw domainErrors[kind]();
  }

  @Get('conflict')
  conflict() {
    throw new WrongExpectedVersion('shift-1', 3n, 4n);
  }

  @Get('boom')
  boom() {
    throw new Error('connection to 10.0.0.7 refused (secret internals)');
  }

  @Get('boom/:ref')
  boomOn() {
    return this.boom();
  }

  @Roles('coordinator', 'operator')
  @Get('coordinators-only')
  coordinators(@CurrentActor() actor: Actor) {
    return actor;
  }

  @Public()
  @Get('public')
  open() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}

import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { programmeKinds } from '#domain';
import { notFound } from '#platform';
import { digitalSkills, READS, unitProgrammes } from '#projections';
import {
  OptionalId,
  PageLimit,
  PeriodQuery,
  ReadQuery,
  resolvePeriod,
} from '../shared/query-params.js';
import { ReadModels } from '../shared/read-models.service.js';
import { DIGITAL_SKILLS, UNIT_PROGRAMMES } from '../shared/read-schemas.js';

export class ProgrammesQuery extends PeriodQuery {
  @ApiPropertyOptional({ enum: programmeKinds })
  @IsOptional()
  @IsIn(programmeKinds, { message: `kind must be one of ${programmeKinds.join(', ')}` })
  kind?: string;

  @PageLimit(500)
  limit?: number;

  @OptionalId('The `next` of the previous page')
  after?: string;
}

@ApiTags('queries')
@Controller('units')
export class ProgrammesSkillsController {
  constructor(private readonly readModels: ReadModels) {}

  @Get(':id/programmes')
  @ApiOkResponse({ schema: UNIT_PROGRAMMES })
  @ApiOperation({ summary: "The subtree's programmes that start in the period, with totals" })
  async programmes(@Param('id') id: string, @Query() q: ProgrammesQuery) {
    const period = resolvePeriod(q);
    const page = { limit: q.limit ?? 500, after: q.after };
    const { value, stamp } = await this.readModels.read(
      READS.programmesSkills,
      q,
      ['programmes', id, period.from, period.to, q.kind, page.limit, page.after],
      (sql, schema) => unitProgrammes(sql, schema, id, { ...period, kind: q.kind, ...page }),
    );
    if (!value) throw notFound(`unit ${id} is unknown (or not projected yet)`);
    return { ...value, ...stamp };
  }

  @Get(':id/digital-skills')
  @ApiOkResponse({ schema: DIGITAL_SKILLS })
  @ApiOperation({
    summary: "Members' digital skills across the subtree, as shares of its current members",
  })
  async skills(@Param('id') id: string, @Query() q: ReadQuery) {
    const { value, stamp } = await this.readModels.read(
      READS.programmesSkills,
      q,
      ['digital-skills', id],
      (sql, schema) => digitalSkills(sql, schema, id),
    );
    if (!value) throw notFound(`unit ${id} is unknown (or not projected yet)`);
    return { ...value, ...stamp };
  }
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { memberMetrics, unitMetrics, type MemberMetric, type UnitMetric } from '#projections';
import { PeriodQuery, ReadQuery } from '../shared/query-params.js';

export class MemberLeaderboardRequest extends PeriodQuery {
  @ApiPropertyOptional({ enum: memberMetrics, default: 'verifiedHours' })
  @IsOptional()
  @IsIn(memberMetrics, { message: `metric must be one of ${memberMetrics.join(', ')}` })
  metric?: MemberMetric;

  @ApiPropertyOptional() @IsOptional() @IsString() campaignId?: string;

  @ApiPropertyOptional({ description: "Only members of this unit's subtree" })
  @IsOptional()
  @IsString()
  unitId?: string;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class UnitLeaderboardRequest extends ReadQuery {
  @ApiPropertyOptional({ enum: unitMetrics, default: 'citizensAssisted' })
  @IsOptional()
  @IsIn(unitMetrics, { message: `metric must be one of ${unitMetrics.join(', ')}` })
  metric?: UnitMetric;

  @ApiPropertyOptional({
    description:
      'Rank the direct children of this unit (root units when absent), each over its whole subtree',
  })
  @IsOptional()
  @IsString()
  parentId?: string;

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { memberMetrics, unitMetrics, type MemberMetric, type UnitMetric } from '#projections';
import { PageLimit, PeriodQuery, ReadQuery } from '../shared/query-params.js';

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

  @PageLimit(20)
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

  @PageLimit(20)
  limit?: number;
}

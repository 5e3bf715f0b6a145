import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsOptional, IsString, Matches } from 'class-validator';

export class RebuildRequest {
  @ApiPropertyOptional({ description: 'Projection name; all projections when absent' })
  @IsOptional()
  @IsString()
  projection?: string;

  @ApiPropertyOptional({
    description: 'Apply only events at or below this global position',
    type: 'integer',
  })
  @IsOptional()
  @Transform(({ value }) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value,
  )
  @Matches(/^\d{1,19}$/, { message: 'toPosition must be a non-negative integer' })
  toPosition?: string | number;

  @ApiPropertyOptional({
    description: 'Apply only events recorded (metadata.recordedAt) at or before this instant',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'toTime must be an ISO 8601 instant' })
  toTime?: string;
}

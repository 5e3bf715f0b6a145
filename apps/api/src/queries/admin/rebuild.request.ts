import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches } from 'class-validator';
import { IsInstant } from '#commands';

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
  @IsInstant()
  toTime?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { IsId, IsInstant, idRule } from '#commands';
import { projections } from '#projections';

/**
 * A bound given at all is checked: IsOptional would also let `null` through, and a `null` bound is
 * neither absent (which would start a live rebuild of everything) nor a bound (BigInt(null) threw,
 * a 500), so it is refused with 400 naming the field.
 */
const IfGiven = () => ValidateIf((_object, value) => value !== undefined);

/** The bound of a snapshot: exactly one of `toPosition` or `toTime` (checked by the controller). */
export class SnapshotBound {
  @ApiPropertyOptional({
    description: 'Apply only events at or below this global position (builds a snapshot)',
    type: 'integer',
  })
  @IfGiven()
  @Transform(({ value }) =>
    typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value,
  )
  @Matches(/^\d{1,19}$/, { message: 'toPosition must be a non-negative integer' })
  toPosition?: string | number;

  @ApiPropertyOptional({
    description:
      'Apply only events recorded (metadata.recordedAt) at or before this instant (builds a snapshot)',
  })
  @IfGiven()
  @IsInstant()
  toTime?: string;
}

export class RebuildRequest extends SnapshotBound {
  @ApiPropertyOptional({
    description: 'Projection name; all projections when absent',
    // the names the controller takes (any other is a 400), so that a client can offer them
    enum: projections.map((p) => p.name),
  })
  @IsOptional()
  @IsString()
  projection?: string;
}

export class SnapshotRequest extends SnapshotBound {
  @ApiPropertyOptional({ description: 'Client-chosen snapshot id; generated when absent' })
  @IsOptional()
  @IsId({ message: idRule('id') })
  id?: string;
}

import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { maxProgrammeAttendees, maxProgrammePartners, programmeKinds } from '#domain';
import type { ProgrammeKind } from '#domain';
import { ActionRequest } from '../shared/action-request.js';
import {
  CreationId,
  IsFreeText,
  IsInstant,
  NestedObject,
  UnitIdField,
} from '../shared/validators.js';

/** A head count: optional, a whole number from 0 to the domain's bound. */
const Count = () =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 0, maximum: maxProgrammeAttendees }),
    IsOptional(),
    IsInt(),
    Min(0),
    Max(maxProgrammeAttendees),
  );

export class ProgrammeAttendeesRequest {
  @Count()
  members?: number;

  @Count()
  citizens?: number;
}

export class HoldProgrammeRequest {
  @CreationId('programme')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({ enum: programmeKinds })
  @IsIn(programmeKinds)
  kind: ProgrammeKind;

  @ApiProperty({ example: 'Tuyên truyền phòng chống lừa đảo trên không gian mạng' })
  @IsFreeText('title')
  title: string;

  @ApiPropertyOptional({ example: 'cyber-crime prevention' })
  @IsOptional()
  @IsFreeText('topic')
  topic?: string;

  @ApiProperty({ example: '2025-08-01T08:00:00+07:00' })
  @IsInstant()
  startsAt: string;

  @ApiPropertyOptional({ example: '2025-08-01T11:00:00+07:00' })
  @IsOptional()
  @IsInstant()
  endsAt?: string;

  @ApiPropertyOptional({ type: [String], example: ['Công an phường Bến Thành'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(maxProgrammePartners)
  @IsFreeText('partner', { each: true })
  partners?: string[];

  @ApiPropertyOptional({ type: ProgrammeAttendeesRequest })
  @IsOptional()
  @NestedObject(() => ProgrammeAttendeesRequest)
  attendees?: ProgrammeAttendeesRequest;
}

/** A later head count; it replaces the earlier one. A count left out keeps its current value. */
export class RecordAttendanceRequest extends ActionRequest {
  @Count()
  members?: number;

  @Count()
  citizens?: number;

  @ApiProperty({ example: '2025-08-01T11:30:00+07:00', description: 'When the count was taken.' })
  @IsInstant()
  recordedAt: string;
}

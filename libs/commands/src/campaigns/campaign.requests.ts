import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
} from 'class-validator';
import { serviceTypes, type ServiceType } from '#domain';
import { ActionRequest } from '../shared/action-request.js';
import {
  IsFreeText,
  IsLocalDate,
  IsLocalTime,
  IsTimezone,
  CreationId,
  NestedObject,
  UnitIdField,
} from '../shared/validators.js';

export class DailyWindowRequest {
  @ApiProperty({ example: '07:00', description: 'Local time HH:mm, inclusive.' })
  @IsLocalTime()
  from: string;

  @ApiProperty({ example: '22:00', description: 'Local time HH:mm (or 24:00), exclusive.' })
  @IsLocalTime(true)
  to: string;
}

export class CampaignGoalsRequest {
  @ApiPropertyOptional({ example: 7000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  citizensAssisted?: number;

  @ApiPropertyOptional({ example: 150 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  volunteerTurns?: number;

  @ApiPropertyOptional({ example: 1200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  verifiedHours?: number;
}

export class LaunchCampaignRequest {
  @CreationId('campaign')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({ example: 'Đổi thẻ đảng viên 2025' })
  @IsFreeText('name')
  name: string;

  @ApiProperty({ example: '2025-08-09' })
  @IsLocalDate()
  startDate: string;

  @ApiProperty({ example: '2025-08-15', description: 'Inclusive.' })
  @IsLocalDate()
  endDate: string;

  @ApiProperty({ type: DailyWindowRequest })
  @NestedObject(() => DailyWindowRequest)
  dailyWindow: DailyWindowRequest;

  @ApiPropertyOptional({
    example: 'Asia/Ho_Chi_Minh',
    description: 'IANA zone; default Asia/Ho_Chi_Minh.',
  })
  @IsOptional()
  @IsTimezone()
  timezone?: string;

  @ApiPropertyOptional({ type: CampaignGoalsRequest })
  @IsOptional()
  @NestedObject(() => CampaignGoalsRequest)
  goals?: CampaignGoalsRequest;

  @ApiPropertyOptional({
    enum: serviceTypes,
    isArray: true,
    // what the validators below check, so that /docs refuses an empty or repeated list too
    minItems: 1,
    maxItems: serviceTypes.length,
    uniqueItems: true,
    description: 'The services counted; absent: all.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(serviceTypes.length)
  @ArrayUnique()
  @IsIn(serviceTypes, { each: true })
  serviceTypes?: ServiceType[];
}

export class ExtendCampaignRequest extends ActionRequest {
  @ApiProperty({ example: '2025-08-17', description: 'The new (later) end date, inclusive.' })
  @IsLocalDate()
  endDate: string;
}

export class CloseCampaignRequest extends ActionRequest {}

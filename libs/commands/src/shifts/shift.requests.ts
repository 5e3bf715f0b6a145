import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { serviceTypes, type ServiceType } from '#domain';
import { ActionRequest } from '../shared/action-request.js';
import { IsFreeText, IsInstant, IsId, idRule } from '../shared/validators.js';

const idMessage = (field: string) => ({ message: idRule(field) });

export class StartShiftRequest {
  @ApiPropertyOptional({
    description: 'Client-chosen shift id (also the command id); generated when absent.',
  })
  @IsOptional()
  @IsId(idMessage('id'))
  id?: string;

  @ApiProperty({ description: "A volunteer's token may only name its own member id (`sub`)." })
  @IsId(idMessage('memberId'))
  memberId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsId(idMessage('campaignId'))
  campaignId?: string;

  @ApiProperty({ example: 'Trung tâm phục vụ hành chính công phường Bến Thành' })
  @IsFreeText('location')
  location: string;

  @ApiProperty({
    example: '2025-08-09T07:00:00+07:00',
    description: 'ISO 8601 with offset; at most 5 minutes ahead.',
  })
  @IsInstant()
  startedAt: string;
}

export class RecordAssistanceRequest {
  @ApiPropertyOptional({
    description: 'Client-chosen assistance id (also the command id); generated when absent.',
  })
  @IsOptional()
  @IsId(idMessage('id'))
  id?: string;

  @ApiProperty({ enum: serviceTypes })
  @IsIn(serviceTypes)
  serviceType: ServiceType;

  @ApiPropertyOptional({ default: 1, minimum: 1, description: 'How many citizens were helped.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  citizens?: number;

  @ApiProperty({
    example: '2025-08-09T08:15:00+07:00',
    description: 'Inside the shift; at most 5 minutes ahead.',
  })
  @IsInstant()
  occurredAt: string;

  @ApiPropertyOptional({
    description: 'Pseudonymous citizen reference; personal data, stored encrypted.',
  })
  @IsOptional()
  @IsFreeText('citizenRef')
  citizenRef?: string;
}

export class EndShiftRequest extends ActionRequest {
  @ApiProperty({ example: '2025-08-09T11:30:00+07:00' })
  @IsInstant()
  endedAt: string;
}

export class CorrectShiftRequest extends ActionRequest {
  @ApiPropertyOptional({ description: 'The corrected start (at least one of startedAt, endedAt).' })
  @IsOptional()
  @IsInstant()
  startedAt?: string;

  @ApiPropertyOptional({ description: 'The corrected end.' })
  @IsOptional()
  @IsInstant()
  endedAt?: string;

  @ApiProperty({ example: 'forgot to end the shift; the centre closed at 17:00' })
  @IsFreeText('reason')
  reason: string;
}

export class VerifyShiftRequest extends ActionRequest {}

export class RejectShiftRequest extends ActionRequest {
  @ApiProperty({ example: 'nobody at the centre saw this shift' })
  @IsFreeText('reason')
  reason: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsFreeText, IsInstant, CreationId, UnitIdField } from '../shared/validators.js';

export class FormClubRequest {
  @CreationId('club')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({ example: 'CLB Chuyển đổi số phường Bến Thành' })
  @IsFreeText('name')
  name: string;

  @ApiPropertyOptional({ example: 'digital skills for the elderly' })
  @IsOptional()
  @IsFreeText('focus')
  focus?: string;

  @ApiProperty({ example: '2025-03-26T08:00:00+07:00' })
  @IsInstant()
  foundedAt: string;

  @ApiPropertyOptional({ default: 0, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  foundingMembers?: number;
}

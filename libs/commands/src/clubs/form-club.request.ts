import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { IsInstant, CreationId, UnitIdField } from '../shared/validators.js';

export class FormClubRequest {
  @CreationId('club')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({ example: 'CLB Chuyển đổi số phường Bến Thành' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'digital skills for the elderly' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
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

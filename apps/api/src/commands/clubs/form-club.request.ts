import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsInstant, idPattern } from '../shared/validators.js';

export class FormClubRequest {
  @ApiPropertyOptional({ description: 'Client-chosen club id (also the command id); generated when absent.' })
  @IsOptional()
  @Matches(idPattern, { message: 'id must be 1-100 letters, digits, ".", "_", ":" or "-"' })
  id?: string;

  @ApiProperty()
  @Matches(idPattern, { message: 'unitId must be a unit id' })
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

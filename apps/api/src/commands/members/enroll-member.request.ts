import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsOptional, Length, Matches } from 'class-validator';
import { idPattern } from '../shared/validators.js';

export class EnrollMemberRequest {
  @ApiPropertyOptional({ description: 'Client-chosen member id (also the command id); generated when absent.' })
  @IsOptional()
  @Matches(idPattern, { message: 'id must be 1-100 letters, digits, ".", "_", ":" or "-"' })
  id?: string;

  @ApiProperty()
  @Matches(idPattern, { message: 'unitId must be a unit id' })
  unitId: string;

  @ApiProperty({ description: 'Personal data: stored encrypted under the member\'s own key.', example: 'Nguyễn Thị Mai' })
  @IsString()
  @Length(1, 200)
  displayName: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CreationId, UnitIdField } from '../shared/validators.js';

export class EnrollMemberRequest {
  @CreationId('member')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({
    description: "Personal data: stored encrypted under the member's own key.",
    example: 'Nguyễn Thị Mai',
  })
  @IsString()
  @Length(1, 200)
  displayName: string;
}

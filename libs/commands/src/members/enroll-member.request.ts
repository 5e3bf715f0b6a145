import { ApiProperty } from '@nestjs/swagger';
import {} from 'class-validator';
import { IsFreeText, CreationId, UnitIdField } from '../shared/validators.js';

export class EnrollMemberRequest {
  @CreationId('member')
  id?: string;

  @UnitIdField()
  unitId: string;

  @ApiProperty({
    description: "Personal data: stored encrypted under the member's own key.",
    example: 'Nguyễn Thị Mai',
  })
  @IsFreeText('name')
  displayName: string;
}

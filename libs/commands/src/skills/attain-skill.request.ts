import { ApiProperty } from '@nestjs/swagger';
import { knownSkills, skillCodePattern, skillCodeProblem } from '#domain';
import { ActionRequest } from '../shared/action-request.js';
import { IsInstant, domainValue } from '../shared/validators.js';

export class AttainSkillRequest extends ActionRequest {
  @ApiProperty({
    description: `A skill code: ${knownSkills.join(', ')}, or another lower_snake_case code.`,
    example: 'vneid_level2',
    pattern: skillCodePattern,
  })
  @domainValue('isSkillCode', skillCodeProblem)
  skill: string;

  @ApiProperty({ example: '2025-06-01T09:00:00+07:00' })
  @IsInstant()
  attainedAt: string;
}

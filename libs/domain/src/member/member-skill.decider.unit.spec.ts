import { DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { AttainSkill } from './member.commands.js';
import { memberDecider } from './member.decider.js';
import type { MemberDataErased, MemberEnrolled, MemberSkillAttained } from './member.events.js';

const member = deciderSpec(memberDecider, { ...coordinator, unitExists: true });
const enrolled: MemberEnrolled = {
  type: 'MemberEnrolled',
  data: { memberId: 'member-an', unitId: 'ward-3', displayName: 'Nguyễn Văn An' },
};
const erased: MemberDataErased = { type: 'MemberDataErased', data: { memberId: 'member-an' } };
const attain = (skill = 'vneid_level2', attainedAt = '2025-06-01T09:00:00+07:00'): AttainSkill => ({
  type: 'AttainSkill',
  data: { memberId: 'member-an', skill, attainedAt },
});
const attained: MemberSkillAttained = {
  type: 'MemberSkillAttained',
  data: { memberId: 'member-an', skill: 'vneid_level2', attainedAt: '2025-06-01T09:00:00+07:00' },
};

describe('recording a member’s skill', () => {
  it('records MemberSkillAttained, for the known skills and any other skill code', () => {
    member.given([enrolled]).when(attain()).then([attained]);
    member
      .given([enrolled, attained])
      .when(attain('cyber_safety_course'))
      .then([{ ...attained, data: { ...attained.data, skill: 'cyber_safety_course' } }]);
  });

  it('records nothing the second time: the first record stands', () => {
    member
      .given([enrolled, attained])
      .when(attain('vneid_level2', '2025-07-01T09:00:00+07:00'))
      .then([]);
  });

  it('refuses an unknown member, an erased member, a bad skill code and a future date', () => {
    member.given([]).when(attain()).thenThrows(NotFound, 'member_not_found');
    member
      .given([enrolled, erased])
      .when(attain())
      .thenThrows(DomainRuleViolation, 'member_erased');
    member
      .given([enrolled])
      .when(attain('VNeID level 2'))
      .thenThrows(DomainRuleViolation, 'skill_invalid');
    member
      .given([enrolled])
      .when(attain('vneid_level2', '2025-08-11T09:00:00+07:00'))
      .thenThrows(DomainRuleViolation, 'in_the_future');
  });
});

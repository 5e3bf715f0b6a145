import { foldEvents } from '../common/decider.js';
import { Conflict, DomainRuleViolation, NotFound } from '../common/errors.js';
import { deciderSpec } from '../testing/decider-spec.js';
import { coordinator } from '../testing/fixtures.js';
import type { EnrollMember, EraseMemberData } from './member.commands.js';
import { memberDecider } from './member.decider.js';
import type { MemberDataErased, MemberEnrolled } from './member.events.js';

const member = deciderSpec(memberDecider, { ...coordinator, unitExists: true });
const enroll = (displayName = 'Nguyễn Văn An'): EnrollMember => ({
  type: 'EnrollMember',
  data: { memberId: 'member-an', unitId: 'ward-3', displayName },
});
const erase: EraseMemberData = { type: 'EraseMemberData', data: { memberId: 'member-an' } };
const enrolled: MemberEnrolled = {
  type: 'MemberEnrolled',
  data: { memberId: 'member-an', unitId: 'ward-3', displayName: 'Nguyễn Văn An' },
};
const erased: MemberDataErased = { type: 'MemberDataErased', data: { memberId: 'member-an' } };

describe('enrolling a member', () => {
  it('records MemberEnrolled', () => {
    member.given([]).when(enroll()).then([enrolled]);
  });

  it('records the name in composed form, however the phone typed it', () => {
    // given a name typed with combining marks (NFD), when enrolled, then the event holds it composed
    member
      .given([])
      .when(enroll('Nguyễn Văn An'.normalize('NFD')))
      .then([enrolled]);
  });

  it('refuses an unknown unit, a blank name and an id already enrolled', () => {
    member.given([]).when(enroll(), { unitExists: false }).thenThrows(NotFound, 'unit_not_found');
    member.given([]).when(enroll('   ')).thenThrows(DomainRuleViolation, 'display_name_required');
    member.given([enrolled]).when(enroll()).thenThrows(Conflict, 'member_already_enrolled');
  });

  it('keeps no personal data in the state', () => {
    expect(JSON.stringify(foldEvents(memberDecider, [enrolled]))).not.toContain('Nguyễn');
  });
});

describe('erasing a member’s personal data', () => {
  it('records MemberDataErased', () => {
    member.given([enrolled]).when(erase).then([erased]);
  });

  it('refuses an unknown member (404) and a second erasure (409)', () => {
    member.given([]).when(erase).thenThrows(NotFound, 'member_not_found');
    member.given([enrolled, erased]).when(erase).thenThrows(Conflict, 'member_already_erased');
  });
});

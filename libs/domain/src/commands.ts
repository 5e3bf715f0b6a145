import type { CampaignCommand } from './campaign/campaign.commands.js';
import type { CitizenCommand } from './citizen/citizen.commands.js';
import type { ClubCommand } from './club/club.commands.js';
import type { MemberCommand } from './member/member.commands.js';
import type { ProgrammeCommand } from './programme/programme.commands.js';
import type { PostCommand } from './post/post.commands.js';
import type { ShiftCommand } from './shift/shift.commands.js';
import type { UnitCommand } from './unit/unit.commands.js';

/** Every command the deciders accept. */
export type DomainCommand =
  | UnitCommand
  | MemberCommand
  | CampaignCommand
  | ShiftCommand
  | ClubCommand
  | PostCommand
  | CitizenCommand
  | ProgrammeCommand;
export type DomainCommandType = DomainCommand['type'];

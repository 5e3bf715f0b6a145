import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CommandsModule } from '#commands';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { CitizensController } from './citizens/citizens.controller.js';
import { ClubsController } from './clubs/clubs.controller.js';
import { MembersController } from './members/members.controller.js';
import { PostsController } from './posts/posts.controller.js';
import { ProgrammesController } from './programmes/programmes.controller.js';
import { SkillsController } from './skills/skills.controller.js';
import { ShiftsController } from './shifts/shifts.controller.js';
import { UnitsController } from './units/units.controller.js';

/** The command routes of API.md: each controller validates the body and sends one command. */
@Module({
  imports: [CqrsModule, CommandsModule],
  controllers: [
    UnitsController,
    MembersController,
    CampaignsController,
    ShiftsController,
    ClubsController,
    PostsController,
    CitizensController,
    ProgrammesController,
    SkillsController,
  ],
})
export class CommandRoutesModule {}

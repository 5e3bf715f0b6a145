import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type pg from 'pg';
import { PG_POOL, UNIT_TREE } from '#platform';
import {
  CloseCampaignHandler,
  ExtendCampaignHandler,
  LaunchCampaignHandler,
} from './campaigns/campaign.handlers.js';
import { EraseCitizenDataHandler } from './citizens/erase-citizen-data.handler.js';
import { FormClubHandler } from './clubs/form-club.handler.js';
import { DirectoryService } from './directory/directory.service.js';
import { DirectoryUnitTree } from './directory/unit-tree.adapter.js';
import { EnrollMemberHandler } from './members/enroll-member.handler.js';
import { ErasePersonalDataHandler } from './members/erase-personal-data.handler.js';
import { PublishPostHandler } from './posts/publish-post.handler.js';
import { HoldProgrammeHandler, RecordAttendanceHandler } from './programmes/programme.handlers.js';
import { AttainSkillHandler } from './skills/attain-skill.handler.js';
import { CLOCK, ControllableClock } from './shared/clock.js';
import { COMMAND_DB, CommandDatabase } from './shared/command-database.js';
import { CommandLog } from './shared/command-log.js';
import { CommandHandling } from './shared/handle-command.js';
import { AggregateLookups } from './shared/lookups.js';
import { StreamStates } from './shared/stream-states.js';
import {
  CorrectShiftHandler,
  EndShiftHandler,
  RecordAssistanceHandler,
  RejectShiftHandler,
  VerifyShiftHandler,
} from './shifts/shift-action.handlers.js';
import { CitizenSubjects } from './citizens/citizen-subjects.js';
import { ShiftFacts } from './shifts/shift-facts.js';
import { StartShiftHandler } from './shifts/start-shift.handler.js';
import { RegisterUnitHandler } from './units/register-unit.handler.js';

export const commandHandlers = [
  RegisterUnitHandler,
  EnrollMemberHandler,
  ErasePersonalDataHandler,
  EraseCitizenDataHandler,
  LaunchCampaignHandler,
  ExtendCampaignHandler,
  CloseCampaignHandler,
  StartShiftHandler,
  RecordAssistanceHandler,
  EndShiftHandler,
  CorrectShiftHandler,
  VerifyShiftHandler,
  RejectShiftHandler,
  FormClubHandler,
  PublishPostHandler,
  HoldProgrammeHandler,
  RecordAttendanceHandler,
  AttainSkillHandler,
];

/** Owns the command side's connections: its tables are created at start, its pools closed at the end. */
class CommandDatabaseLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(COMMAND_DB) private readonly db: CommandDatabase,
    private readonly log: CommandLog,
  ) {}
  async onModuleInit(): Promise<void> {
    await this.db.migrate();
    await this.log.upgradeLegacyRows();
  }
  onApplicationShutdown(): Promise<void> {
    return this.db.close();
  }
}

/**
 * Every command of API.md on the CommandBus (the HTTP routes live in apps/api; the CLI's seed uses
 * the same handlers). Provides the platform's `UNIT_TREE` from the
 * write-side directory (exported, so the platform's Authorizer finds it), and a `CLOCK` that the seed
 * may override.
 */
@Module({
  imports: [CqrsModule],
  providers: [
    {
      provide: COMMAND_DB,
      // Same server and credentials as the platform's pool, in pools of the command side's own.
      useFactory: (pool: pg.Pool) =>
        new CommandDatabase((pool as unknown as { options: pg.PoolConfig }).options),
      inject: [PG_POOL],
    },
    CommandDatabaseLifecycle,
    { provide: CLOCK, useClass: ControllableClock },
    CommandLog,
    CommandHandling,
    StreamStates,
    DirectoryService,
    AggregateLookups,
    ShiftFacts,
    CitizenSubjects,
    DirectoryUnitTree,
    { provide: UNIT_TREE, useExisting: DirectoryUnitTree },
    ...commandHandlers,
  ],
  exports: [UNIT_TREE, CLOCK, DirectoryService],
})
export class CommandsModule {}

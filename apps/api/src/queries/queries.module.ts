import { Module } from '@nestjs/common';
import { AuditLogModule } from '#projections';
import { AdminController } from './admin/admin.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditLogController } from './audit/audit-log.controller.js';
import { CertificateController } from './audit/certificate.controller.js';
import { CampaignProgressController } from './campaign-progress/campaign-progress.controller.js';
import { LeaderboardsController } from './leaderboards/leaderboards.controller.js';
import { LiveController } from './live/live.controller.js';
import { LiveStreamSlots } from './live/live-stream-slots.js';
import { MembersQueriesController } from './members/members-queries.controller.js';
import { ProgrammesSkillsController } from './programmes-skills/programmes-skills.controller.js';
import { ProjectionChangesFeed } from './live/projection-changes.feed.js';
import { SnapshotsController } from './admin/snapshots.controller.js';
import { ReadModels } from './shared/read-models.service.js';
import { UnitsQueriesController } from './units/units-queries.controller.js';

/** Query routes on the read models (API.md "Queries"), the audit reads, live changes and the admin routes. */
@Module({
  imports: [AuditLogModule],
  controllers: [
    CampaignProgressController,
    LeaderboardsController,
    UnitsQueriesController,
    ProgrammesSkillsController,
    MembersQueriesController,
    AuditController,
    AuditLogController,
    CertificateController,
    LiveController,
    AdminController,
    SnapshotsController,
  ],
  providers: [ReadModels, ProjectionChangesFeed, LiveStreamSlots],
})
export class QueriesModule {}

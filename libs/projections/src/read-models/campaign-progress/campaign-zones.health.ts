import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type pg from 'pg';
import {
  databaseOffsets,
  HealthService,
  PG_POOL,
  serverOffsets,
  zoneDisagreement,
  type HealthReport,
} from '#platform';
import { liveSlot } from '../../runner/checkpoints.js';
import { READS } from '../registry.js';
import { campaignSpans, type CampaignSpan } from './campaign-zones.query.js';

/** How long a comparison stands: the tz data changes only when PostgreSQL or Node is replaced. */
const recheckAfterMs = 10 * 60_000;
/** The campaigns a report names; the count says how many more. */
const named = 20;

/**
 * Campaigns recorded in a zone that PostgreSQL and this server read differently over their dates
 * (#platform zoneDisagreement), as `timeZoneData` in /health. A launch into such days is refused, but
 * the copies of the tz database change under stored campaigns when PostgreSQL or Node is upgraded (or
 * an older release recorded them), and those campaigns' progress and leaderboards then count hours in
 * different windows. Optional: it makes the status degraded, naming the zone and the campaigns, for
 * the operator to update the older copy. Each zone is compared over all its campaigns' dates at once,
 * its campaigns one by one only when that finds a difference; the result stands for ten minutes, and
 * a probe's ask never waits for a comparison once there is one.
 */
@Injectable()
export class CampaignZonesHealth implements OnApplicationBootstrap {
  private last?: { at: number; report: HealthReport };
  private running?: Promise<HealthReport>;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly health: HealthService,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('timeZoneData', () => this.report(), { optional: true });
  }

  report(): Promise<HealthReport> {
    const stale = !this.last || Date.now() - this.last.at >= recheckAfterMs;
    if (stale && !this.running) {
      this.running = this.compare()
        .then((report) => {
          this.last = { at: Date.now(), report };
          return report;
        })
        .finally(() => (this.running = undefined));
      // a failed comparison is reported to the ask that waited for it (or none); the last one stands
      this.running.catch(() => undefined);
    }
    return this.last ? Promise.resolve(this.last.report) : this.running!;
  }

  private async compare(): Promise<HealthReport> {
    const slot = await liveSlot(this.pool, READS.campaignProgress);
    if (!slot) return { healthy: true, campaigns: 0 };
    const spans = await campaignSpans(this.pool, slot.schema_name);
    const readers = { database: databaseOffsets(this.pool), server: serverOffsets };
    const apart: { campaignId: string; problem: string }[] = [];
    for (const [zone, campaigns] of byZone(spans)) {
      const startDate = campaigns[0]!.startDate;
      const endDate = campaigns.reduce((last, c) => (c.endDate > last ? c.endDate : last), '');
      if ((await zoneDisagreement(zone, startDate, endDate, readers)) === null) continue;
      for (const c of campaigns) {
        const problem = await zoneDisagreement(zone, c.startDate, c.endDate, readers);
        if (problem) apart.push({ campaignId: c.campaignId, problem });
      }
    }
    if (apart.length === 0) return { healthy: true, campaigns: spans.length };
    return {
      healthy: false,
      error:
        `${apart.length} campaign(s) in zones that PostgreSQL and this server read differently: ` +
        `their progress and their leaderboards count hours in different windows. ` +
        `Update the older copy of the tz database. ${apart[0]!.problem}`,
      campaigns: spans.length,
      apart: apart.slice(0, named),
    };
  }
}

const byZone = (spans: readonly CampaignSpan[]) => {
  const zones = new Map<string, CampaignSpan[]>();
  for (const span of spans) {
    const zone = zones.get(span.timezone);
    if (zone) zone.push(span);
    else zones.set(span.timezone, [span]);
  }
  return zones;
};

/** The dashboard routes of API.md that the bench measures, on the ids `seed synthetic` printed. */

/** What `seed synthetic` printed last (API.md "Command line"). */
export type SeedSummary = {
  events: number;
  position: number;
  campaignIds: string[];
  unitIds: string[];
  memberIds: string[];
};

export type Tokens = { operator: string; viewer: string; auditor: string };

export type Route = Readonly<{ name: string; path: string; token: keyof Tokens }>;

/**
 * Every dashboard route of API.md once, on the seed's ids: its first campaign (the one the writer
 * feeds), the root unit (the whole province), its first district (a subtree), its first member. The
 * name is the row of the report, the same at every size.
 */
export function dashboardRoutes(seed: SeedSummary, week: { from: string; to: string }): Route[] {
  const campaign = seed.campaignIds[0]!;
  const root = seed.unitIds[0]!;
  const district = seed.unitIds[1]!;
  const member = seed.memberIds[0]!;
  const q = encodeURIComponent;
  return [
    {
      name: 'GET /campaigns/:c0/progress',
      path: `/campaigns/${q(campaign)}/progress`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=citizensAssisted',
      path: '/leaderboards/members?metric=citizensAssisted',
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=citizensAssisted&unitId=:d0&from=…&to=… (c0 week)',
      path: `/leaderboards/members?metric=citizensAssisted&unitId=${q(district)}&from=${week.from}&to=${week.to}`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=verifiedHours',
      path: '/leaderboards/members?metric=verifiedHours',
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/members?metric=verifiedHours&campaignId=:c0',
      path: `/leaderboards/members?metric=verifiedHours&campaignId=${q(campaign)}`,
      token: 'viewer',
    },
    {
      name: 'GET /leaderboards/units?metric=citizensAssisted',
      path: '/leaderboards/units?metric=citizensAssisted',
      token: 'viewer',
    },
    { name: 'GET /units/:root/summary', path: `/units/${q(root)}/summary`, token: 'viewer' },
    {
      name: 'GET /audit/members/:m0/hours',
      path: `/audit/members/${q(member)}/hours`,
      token: 'auditor',
    },
    {
      name: 'GET /units/:root/digital-skills',
      path: `/units/${q(root)}/digital-skills`,
      token: 'viewer',
    },
    {
      name: 'GET /units/:d0/programmes?from=2025-01-01&to=2025-03-31',
      path: `/units/${q(district)}/programmes?from=2025-01-01&to=2025-03-31`,
      token: 'viewer',
    },
    { name: 'GET /members?limit=50', path: '/members?limit=50', token: 'viewer' },
  ];
}

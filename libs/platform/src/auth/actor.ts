import type { Role } from '#domain';

export const ROLES: readonly Role[] = ['volunteer', 'coordinator', 'operator', 'auditor', 'viewer'];
export type { Role };

/** Who is calling, from a verified token: `unitId` is the root of the subtree it may act on. */
export type Actor = Readonly<{ sub: string; role: Role; unitId?: string }>;

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

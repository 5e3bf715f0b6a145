export type { Actor } from '#platform';

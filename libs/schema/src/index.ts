export * from './migrate-schema.js';

export * from './tokens.js';
export * from './health/health.service.js';

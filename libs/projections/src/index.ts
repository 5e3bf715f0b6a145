export * from './projections.module.js';

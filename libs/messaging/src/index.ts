export * from './relay.module.js';

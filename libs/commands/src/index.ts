// The command side: one handler per use case on the CommandBus, the write-side directory, the command
// log that makes retries safe. HTTP (apps/api) and the CLI's seed both send commands through it.
export * from './campaigns/campaign.handlers.js';
export * from './campaigns/campaign.requests.js';
export * from './clubs/form-club.handler.js';
export * from './clubs/form-club.request.js';
export * from './commands.module.js';
export * from './directory/directory.service.js';
export * from './members/enroll-member.handler.js';
export * from './members/enroll-member.request.js';
export * from './members/erase-personal-data.handler.js';
export * from './posts/publish-post.handler.js';
export * from './posts/publish-post.request.js';
export * from './programmes/programme.handlers.js';
export * from './programmes/programme.requests.js';
export * from './skills/attain-skill.handler.js';
export * from './skills/attain-skill.request.js';
export * from './seed/card-drive-2025.scenario.js';
export * from './shared/action-request.js';
export * from './shared/clock.js';
export * from './shared/command-result.js';
export * from './shared/validators.js';
export * from './shifts/shift-action.handlers.js';
export * from './shifts/shift.requests.js';
export * from './shifts/start-shift.handler.js';
export * from './units/register-unit.handler.js';
export * from './units/register-unit.request.js';
export * from './shared/validators.js';

export * from './event.ts';
export * from './ids.ts';
export * from './jsonc.ts';
export * from './model-config.ts';
export * from './run.ts';
export * from './task.ts';
export * from './zod-issues.ts';

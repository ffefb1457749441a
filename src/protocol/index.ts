export * from './event.ts';
export * from './ids.ts';
export * from './model-config.ts';
export * from './run.ts';
export * from './task.ts';

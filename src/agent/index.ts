export * from './define-tool.ts';
export * from './run-tool-call.ts';
export * from './tool-config.ts';
export * from './tool-counters.ts';
export * from './tool-errors.ts';
export * from './truncate-output.ts';

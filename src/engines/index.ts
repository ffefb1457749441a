export type {
  EngineAdapter,
  EngineConnection,
  EngineEvent,
  EngineLaunch,
  EngineStreamParser,
  EngineToolCall,
  EngineTurnRequest,
} from './engine-adapter.ts';
export * from './engine-registry.ts';
export * from './find-engine-program.ts';
export * from './prepare-engine.ts';
export * from './run-engine-agent.ts';
export * from './run-engine-process.ts';

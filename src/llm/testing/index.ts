// Test helpers for code that uses models; production code must not import from here.
export { createFakeTime, type FakeTime } from './fake-time.ts';
export { type FixtureName, loadFixture } from './fixtures.ts';
export { type OutageOptions, scriptOutage } from './outage.ts';
export {
  type ProtocolServer,
  type ProtocolServerOptions,
  type RecordedRequest,
  type Responder,
  type ResponderReply,
  startProtocolServer,
  type WireProtocolName,
} from './protocol-server/protocol-server.ts';
export type {
  ScriptedAnswer,
  ScriptedReply,
  ScriptedToolCall,
  ScriptedUsage,
} from './protocol-server/scripted-reply.ts';
export {
  createScriptedModel,
  type ScriptedModel,
  type ScriptedModelOptions,
  type ScriptedStep,
  type ScriptedTurn,
} from './scripted-model.ts';
export { createScriptedRouter, testRetryPolicy } from './scripted-router.ts';

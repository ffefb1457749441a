import type { EngineName } from '../protocol/index.ts';
import { claudeCodeAdapter } from './claude-code/claude-code-adapter.ts';
import { codexAdapter } from './codex/codex-adapter.ts';
import type { EngineAdapter } from './engine-adapter.ts';
import { geminiAdapter } from './gemini/gemini-adapter.ts';
import { opencodeAdapter } from './opencode/opencode-adapter.ts';

/** Every engine cadre can drive, by the name role chains use. */
export const engineAdapters: Readonly<Record<EngineName, EngineAdapter>> = {
  'claude-code': claudeCodeAdapter,
  codex: codexAdapter,
  opencode: opencodeAdapter,
  gemini: geminiAdapter,
};

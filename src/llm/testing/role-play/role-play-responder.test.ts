import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelsConfig } from '../../../protocol/index.ts';
import { createModel } from '../../create-model.ts';
import type { ModelRequest } from '../../model.ts';
import { type ProtocolServer, startProtocolServer } from '../protocol-server/protocol-server.ts';
import { briefingText } from './conversation-builder.ts';
import { createRolePlayResponder, type ServedTurn } from './role-play-responder.ts';
import { summarizeServed } from './served-ledger.ts';

const tool = (name: string) => ({ name, description: name, inputSchema: { type: 'object', properties: {} } });
const workerRequest: ModelRequest = {
  system: 'You are a worker.',
  messages: [
    {
      role: 'user',
      content: briefingText({
        type: 'worker',
        goal: 'g',
        runId: 'r',
        taskId: 'task_7',
        title: 'Add x',
        scope: ['src/core/**'],
      }),
    },
  ],
  tools: ['read_file', 'list_dir', 'write_file', 'land', 'handoff'].map(tool),
  toolChoice: 'auto',
  maxOutputTokens: 1000,
};

let plain: ProtocolServer;
let cutOff: ProtocolServer;
const turns: ServedTurn[] = [];
beforeAll(async () => {
  plain = await startProtocolServer({
    respond: createRolePlayResponder({ onTurn: (turn) => turns.push(turn) }),
  });
  cutOff = await startProtocolServer({
    respond: createRolePlayResponder({ imperfection: 1, imperfections: ['truncated'] }),
  });
});
afterAll(async () => {
  await plain.close();
  await cutOff.close();
});

function modelFor(server: ProtocolServer, id: string, transport: 'stream' | 'generate') {
  const env = {
    OPENAI_API_KEY: 'k',
    ANTHROPIC_API_KEY: 'k',
    OPENAI_BASE_URL: server.baseURL,
    ANTHROPIC_BASE_URL: server.baseURL,
  };
  const config = ModelsConfig.parse({
    compatible: { local: { baseURL: server.baseURL, model: 'local-model' } },
  });
  return createModel(id, { config, env, transport });
}

const ids = ['openai:gpt-x', 'openai-chat:gpt-x', 'anthropic:claude-x', 'openai-compatible:local'];
const signal = new AbortController().signal;

describe('the role-playing responder through the real adapters', () => {
  for (const id of ids) {
    for (const transport of ['stream', 'generate'] as const) {
      it(`${id} (${transport}): answers a worker's briefing with its first step and reports usage by length`, async () => {
        const response = await modelFor(plain, id, transport).generate(workerRequest, { signal });
        expect(response.finishReason).toBe('tool-calls');
        expect(response.toolCalls).toMatchObject([{ name: 'list_dir', input: { path: 'src/core' } }]);
        const served = plain.ledger.at(-1);
        const request = plain.requests[served?.requestIndex ?? -1];
        expect(request?.stream).toBe(transport === 'stream');
        expect(served?.usage.inputTokens).toBe(Math.ceil(JSON.stringify(request?.body).length / 4));
        expect(response.usage).toMatchObject({
          inputTokens: served?.usage.inputTokens,
          outputTokens: served?.usage.outputTokens,
        });
        expect(turns.at(-1)).toEqual({ role: 'worker', imperfection: null });
      });

      it(`${id} (${transport}): a turn cut at the output limit comes back as finish reason length`, async () => {
        const response = await modelFor(cutOff, id, transport).generate(workerRequest, { signal });
        expect(response.finishReason).toBe('length');
        expect(cutOff.ledger.at(-1)?.usage.outputTokens).toBe(response.usage.outputTokens);
      });
    }
  }

  it('sums what it served per role and per model', () => {
    const summary = summarizeServed(plain);
    expect(summary.byRole.worker?.answers).toBe(plain.ledger.length);
    expect(Object.keys(summary.byModel).sort()).toEqual(['claude-x', 'gpt-x', 'local-model']);
    expect(summary.total.inputTokens).toBe(
      plain.ledger.reduce((sum, entry) => sum + entry.usage.inputTokens, 0),
    );
  });

  it('answers text when no tool it knows is offered, and HTTP 400 to a body no client sends', async () => {
    const response = await modelFor(plain, 'openai-chat:gpt-x', 'generate').generate(
      { messages: [{ role: 'user', content: 'ping' }] },
      { signal },
    );
    expect(response.text).toMatch(/role-playing test model/);
    const broken = await fetch(`${plain.baseURL}/messages`, { method: 'POST', body: '{"messages": 3}' });
    expect(broken.status).toBe(400);
    expect(JSON.stringify(await broken.json())).toMatch(/unreadable anthropic-messages request/);
  });
});

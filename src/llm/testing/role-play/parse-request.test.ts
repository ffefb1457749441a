import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { WireProtocolName } from '../protocol-server/protocol-server.ts';
import { parseRequest } from './parse-request.ts';
import { pastCalls } from './past-calls.ts';
import { roleOf } from './role.ts';

// Bodies the real adapters sent for one worker conversation (recorded through the protocol server).
function fixture(protocol: WireProtocolName): Record<string, unknown> {
  const url = new URL(`./__fixtures__/${protocol}.worker-request.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

const protocols: WireProtocolName[] = ['openai-chat', 'openai-responses', 'anthropic-messages'];

describe('parseRequest reads every protocol into the same conversation', () => {
  for (const protocol of protocols) {
    it(protocol, () => {
      const conversation = parseRequest({ protocol, body: fixture(protocol) });
      expect(conversation.system).toBe('You are a cadre worker: one task, in your own worktree.');
      expect(roleOf(conversation.tools)).toBe('worker');
      expect(conversation.tools.map((tool) => tool.name)).toEqual([
        'read_file',
        'list_dir',
        'write_file',
        'edit_file',
        'run_shell',
        'land',
        'handoff',
      ]);
      expect(conversation.tools[0]?.inputSchema).toMatchObject({ properties: { path: { type: 'string' } } });
      expect(conversation.entries.map((entry) => entry.type)).toEqual([
        'user',
        'assistant',
        'tool-result',
        'assistant',
        'tool-result',
        'assistant',
        'tool-result',
        'tool-result',
        'assistant',
        'tool-result',
        'assistant',
        'user',
      ]);
      expect(conversation.entries[0]).toMatchObject({
        type: 'user',
        text: expect.stringContaining('<cadre-briefing>'),
      });
      // text and two calls of one turn stay one turn, whichever way the protocol splits them
      expect(conversation.entries[5]).toEqual({
        type: 'assistant',
        text: 'Writing src/core/task-fixture1.ts.',
        toolCalls: [
          expect.objectContaining({ id: 'call_3', name: 'write_file' }),
          expect.objectContaining({ id: 'call_4', name: 'edit_file' }),
        ],
      });
      expect(conversation.entries[10]).toEqual({
        type: 'assistant',
        text: 'Next I will call run_shell.',
        toolCalls: [],
      });
      const calls = pastCalls(conversation);
      expect(calls.map((call) => [call.name, call.failed])).toEqual([
        ['list_dir', false],
        ['read_file', false],
        ['write_file', false],
        ['edit_file', false],
        ['run_shell', true],
      ]);
      // a call whose JSON broke comes back as {} from cadre, its error result says why
      expect(calls[4]?.input).toEqual({});
      expect(calls[1]?.output).toBe("1\t// The core area.\n2\texport const area = 'core';");
    });
  }

  it('keeps the error flag Anthropic sends and leaves it open where OpenAI has none', () => {
    const flags = (protocol: WireProtocolName) =>
      parseRequest({ protocol, body: fixture(protocol) })
        .entries.filter((entry) => entry.type === 'tool-result')
        .map((entry) => (entry.type === 'tool-result' ? entry.isError : 'not a result'));
    expect(flags('anthropic-messages')).toEqual([false, false, false, false, true]);
    expect(flags('openai-chat')).toEqual([null, null, null, null, null]);
  });

  it('reads the short forms: plain string content, Responses instructions and a string input', () => {
    expect(
      parseRequest({
        protocol: 'anthropic-messages',
        body: { system: 'be brief', messages: [{ role: 'user', content: 'hello' }] },
      }),
    ).toEqual({ system: 'be brief', entries: [{ type: 'user', text: 'hello' }], tools: [] });
    expect(
      parseRequest({ protocol: 'openai-responses', body: { instructions: 'be brief', input: 'hello' } }),
    ).toEqual({ system: 'be brief', entries: [{ type: 'user', text: 'hello' }], tools: [] });
    expect(
      parseRequest({
        protocol: 'openai-chat',
        body: {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'hel' },
                { type: 'text', text: 'lo' },
              ],
            },
          ],
        },
      }).entries,
    ).toEqual([{ type: 'user', text: 'hello' }]);
  });

  it('skips Responses items it does not know, and rejects a body without messages', () => {
    const body = {
      input: [
        { type: 'item_reference', id: 'rs_1' },
        { role: 'user', content: 'hi' },
      ],
    };
    expect(parseRequest({ protocol: 'openai-responses', body }).entries).toEqual([
      { type: 'user', text: 'hi' },
    ]);
    expect(() => parseRequest({ protocol: 'openai-chat', body: {} })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { testTokenCounter } from '../testing/run-test-agent.ts';

describe('createTokenCounter', () => {
  const counter = testTokenCounter();

  it('counts with o200k_base and treats special-token text as plain text', () => {
    expect(counter.countText('hello world')).toBe(2);
    expect(counter.countText('<|endoftext|>')).toBeGreaterThan(1);
    expect(counter.countText('')).toBe(0);
  });

  it('counts a request as its system prompt, tools and messages plus framing', () => {
    const messages = [{ role: 'user' as const, content: 'hello world' }];
    const bare = counter.countRequest({ messages });
    expect(bare).toBe(3 + counter.countMessage(messages[0]!));
    const withSystem = counter.countRequest({ system: 'be brief', messages });
    expect(withSystem).toBe(bare + counter.countText('be brief'));
    const tools = [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object' } }];
    expect(counter.countRequest({ messages, tools })).toBe(bare + counter.countText(JSON.stringify(tools)));
  });
});

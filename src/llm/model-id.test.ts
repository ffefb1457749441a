import { describe, expect, it } from 'vitest';
import { parseModelId } from './model-id.ts';

describe('parseModelId', () => {
  it('splits provider and model at the first colon', () => {
    expect(parseModelId('openai:gpt-5.2')).toEqual({ type: 'openai', name: 'gpt-5.2', id: 'openai:gpt-5.2' });
    expect(parseModelId('openai-compatible:qwen:32b').name).toBe('qwen:32b');
    expect(parseModelId('sim:echo').type).toBe('sim');
  });

  it('names the problem in bad ids', () => {
    expect(() => parseModelId('gpt-5')).toThrow(/not a model id/);
    expect(() => parseModelId('azure:gpt-5')).toThrow(/unknown provider "azure"/);
    expect(() => parseModelId('anthropic:')).toThrow(/needs a model name/);
  });
});

import type { Conversation } from './conversation.ts';

/** FNV-1a (32 bits) of a text, started from a seed: cheap, stable across processes, good enough to roll dice. */
export function hashText(text: string, seed = 0): number {
  let hash = (2166136261 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/**
 * A number in [0, 1) from a hash. FNV's high bits barely move when only the end of a text does
 * (conversations differ at their end), so the bits are mixed first (murmur3's finalizer).
 */
export function fractionOf(hash: number): number {
  let mixed = hash >>> 0;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  mixed ^= mixed >>> 16;
  return (mixed >>> 0) / 4294967296;
}

/**
 * The seed of every assistant turn of a conversation and of the turn now asked for: the hash of
 * the conversation before it. A turn's seed is the same whenever and wherever the conversation is
 * replayed, which is what makes the role-player's choices deterministic per request.
 */
export function turnSeeds(conversation: Conversation, seed: number): number[] {
  const seeds: number[] = [];
  let hash = hashText(
    `${conversation.system}\u0000${conversation.tools.map((tool) => tool.name).join(',')}`,
    seed,
  );
  for (const entry of conversation.entries) {
    if (entry.type === 'assistant') seeds.push(hash);
    hash = hashText(JSON.stringify(entry), hash);
  }
  seeds.push(hash);
  return seeds;
}

import { z } from 'zod';

/** How an agent keeps its conversation inside the model's context window. */
export const ContextSettings = z
  .strictObject({
    /** The model's context window in tokens (input and output together). */
    windowTokens: z.int().min(1_000).default(128_000),
    /** Tokens kept free for the model's answer; sent as the request's maxOutputTokens. */
    reservedOutputTokens: z.int().positive().default(16_000),
    /** Above this fraction of the window, old tool outputs are replaced by placeholders. */
    maskAtFraction: z.number().gt(0).lt(1).default(0.5),
    /** Above this fraction of the window, the older part of the conversation is summarized by the model. */
    summarizeAtFraction: z.number().gt(0).lt(1).default(0.7),
    /** Tool results kept whole when old ones are masked. */
    keepRecentToolResults: z.int().min(0).default(3),
    /** Fraction of the window the newest messages may fill and still be kept verbatim by a summary. */
    keepRecentFraction: z.number().gt(0).lt(1).default(0.2),
  })
  .refine((settings) => settings.maskAtFraction <= settings.summarizeAtFraction, {
    message: 'maskAtFraction must not be above summarizeAtFraction',
  })
  .refine((settings) => settings.reservedOutputTokens < settings.windowTokens / 2, {
    message: 'reservedOutputTokens must be less than half of windowTokens',
  });
/** How an agent keeps its conversation inside the model's context window. */
export type ContextSettings = z.infer<typeof ContextSettings>;
/** Context settings as a caller writes them (every field optional). */
export type ContextSettingsInput = z.input<typeof ContextSettings>;

/** The largest request (in tokens) that may be sent: the window minus the room kept for the answer. */
export function requestTokenLimit(settings: ContextSettings): number {
  return settings.windowTokens - settings.reservedOutputTokens;
}

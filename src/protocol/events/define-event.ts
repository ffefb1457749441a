import { z } from 'zod';

/**
 * A payload's fields. Loose: fields a later cadre adds survive a read by an older one, and fields
 * an older cadre wrote that this one no longer names are kept rather than dropped.
 */
export function payload<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.looseObject(shape);
}

/** One entry of the catalog: an event type and the schema of its payload. */
export function eventOf<Type extends string, Payload extends z.ZodType>(type: Type, schema: Payload) {
  return z.object({ type: z.literal(type), payload: schema });
}

import { isIP } from 'node:net';
import { z } from 'zod';
import {
  canonicalAddress,
  type HostPattern,
  hostPatternForms,
  normalizeName,
  parseHostPattern,
} from './host-pattern.ts';

/** One entry of `network.hosts`: a string in one of the forms `parseHostPattern` accepts. */
export const AllowedHost = z
  .string()
  .refine((entry) => parseHostPattern(entry) !== null, `an allowed host must be ${hostPatternForms}`);

/** Whether a connection to `host` (a name or an IP literal, brackets optional) on `port` is allowed. */
export type HostMatcher = (host: string, port: number) => boolean;

/**
 * Builds the allow-list's decision. Throws on an entry that does not parse: entries are meant to be
 * validated with `AllowedHost` where the configuration is read, so a bad one here is a programming error.
 */
export function createHostMatcher(entries: readonly string[]): HostMatcher {
  const patterns = entries.map((entry) => {
    const pattern = parseHostPattern(entry);
    if (pattern === null) throw new Error(`"${entry}" is not an allowed host: expected ${hostPatternForms}`);
    return pattern;
  });
  return (host, port) => {
    const unbracketed = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const subjectIsAddress = isIP(unbracketed) !== 0;
    const subject = subjectIsAddress ? canonicalAddress(unbracketed) : normalizeName(unbracketed);
    return patterns.some((pattern) => matches(pattern, subject, subjectIsAddress, port));
  };
}

function matches(pattern: HostPattern, subject: string, subjectIsAddress: boolean, port: number): boolean {
  if (pattern.port !== null && pattern.port !== port) return false;
  switch (pattern.type) {
    case 'address':
      return subjectIsAddress && pattern.address === subject;
    case 'name':
      return !subjectIsAddress && pattern.name === subject;
    case 'subdomains':
      return !subjectIsAddress && subject.endsWith(`.${pattern.suffix}`);
  }
}

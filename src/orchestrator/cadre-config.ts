import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ToolConfig } from '../agent/index.ts';
import { parseModelsConfig } from '../llm/index.ts';
import { describeIssue, ModelsConfig, parseJsonc } from '../protocol/index.ts';
import { WorkspaceConfig } from '../workspace/index.ts';
import { FleetConfig } from './fleet-config.ts';

/** The whole of `cadre.config.json`: models, fleet, tools and workspace. */
export const CadreConfig = z
  .object({
    $schema: z.string().optional(),
    models: ModelsConfig.prefault({}),
    fleet: FleetConfig.prefault({}),
    tools: ToolConfig.prefault({}),
    workspace: WorkspaceConfig.prefault({}),
  })
  .strict();
/** The whole config (after defaults). */
export type CadreConfig = z.infer<typeof CadreConfig>;

/** A config problem the user can fix; the message names the file, the key and what is wrong. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The config file read when none is named. */
export const defaultConfigFileName = 'cadre.config.json';

/** Validates a config value; every problem is reported with its key path, including unknown keys (typos). */
export function parseCadreConfig(value: unknown, source: string): CadreConfig {
  const parsed = CadreConfig.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? ` (${issue.keys.join(', ')})` : '';
      return `${describeIssue(issue, '(top level)')}${keys}`;
    });
    throw new ConfigError(`${source} is not a valid cadre config:\n  ${problems.join('\n  ')}`);
  }
  try {
    parseModelsConfig(parsed.data.models);
  } catch (error) {
    throw new ConfigError(`${source}: models: ${(error as Error).message}`);
  }
  return parsed.data;
}

/** Reads and validates a config file; a missing default file means the built-in defaults. */
export async function loadCadreConfig(
  path: string | undefined,
  fallbackPath: string,
  signal?: AbortSignal,
): Promise<CadreConfig> {
  const file = path ?? fallbackPath;
  let text: string;
  try {
    text = await readFile(file, { encoding: 'utf8', signal });
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return parseCadreConfig({}, 'defaults');
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseCadreConfig(value, file);
}

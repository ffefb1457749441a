import { readFile } from 'node:fs/promises';
import { parseModelsConfig } from '../../llm/index.ts';
import { type ModelsConfig, parseJsonc } from '../../protocol/index.ts';

/** The config file `cadre models` reads when none is named. */
export const defaultConfigFile = 'cadre.config.json';

/**
 * Reads the models config from a JSON file: its `models` key when it has one (a whole cadre config),
 * else the whole file. A missing default file means an empty config; a missing named file is an error.
 */
export async function loadModelsConfigFile(path: string | undefined): Promise<ModelsConfig> {
  let text: string;
  try {
    text = await readFile(path ?? defaultConfigFile, 'utf8');
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return parseModelsConfig({});
    throw new Error(`cannot read config file ${path ?? defaultConfigFile}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = parseJsonc(text);
  } catch (error) {
    throw new Error(
      `config file ${path ?? defaultConfigFile} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const models = typeof value === 'object' && value !== null && 'models' in value ? value.models : value;
  return parseModelsConfig(models);
}

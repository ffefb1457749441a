import type { Tool } from '../../agent/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import {
  createGlobTool,
  createGrepTool,
  createListDirTool,
  createReadFileTool,
  createWorkspaceTools,
} from '../../tools/index.ts';
import type { ToolSetName } from './folder-suite-schema.ts';

/**
 * The built-in tools a folder suite names. Every tool is confined by the agent loop's worktree root, which
 * the folder environment sets to the trial's copy of the sample's context directory.
 */
export function createFolderToolSet(name: ToolSetName, sandbox: () => Sandbox): Tool[] {
  switch (name) {
    case 'none':
      return [];
    case 'files':
      // Read-only and without the git tools: a context directory is files to look at, not a repository.
      return [createReadFileTool(), createListDirTool(), createGlobTool(), createGrepTool()];
    case 'sandbox':
      return createWorkspaceTools({ sandbox: sandbox() });
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}

import type { Tool } from '../agent/index.ts';
import type { Sandbox } from '../sandbox/index.ts';
import { createEditFileTool } from './edit-file.ts';
import { createGitDiffTool } from './git-diff.ts';
import { createGitStatusTool } from './git-status.ts';
import { createGlobTool } from './glob.ts';
import { createGrepTool } from './grep.ts';
import { createListDirTool } from './list-dir.ts';
import { createReadFileTool } from './read-file.ts';
import { createRunShellTool } from './run-shell.ts';
import { createWriteFileTool } from './write-file.ts';

/** Tools that only look: files, search and git state (what a planner gets). */
export function createReadOnlyTools(): Tool[] {
  return [
    createReadFileTool(),
    createListDirTool(),
    createGlobTool(),
    createGrepTool(),
    createGitStatusTool(),
    createGitDiffTool(),
  ];
}

/** Options of createWorkspaceTools. */
export interface WorkspaceToolsOptions {
  sandbox?: Sandbox;
}

/** Every workspace tool: the read-only ones plus write_file, edit_file and run_shell (what a worker gets). */
export function createWorkspaceTools(options: WorkspaceToolsOptions = {}): Tool[] {
  const shellOptions = options.sandbox ? { sandbox: options.sandbox } : {};
  return [
    ...createReadOnlyTools(),
    createWriteFileTool(),
    createEditFileTool(),
    createRunShellTool(shellOptions),
  ];
}

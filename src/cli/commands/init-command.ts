import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { CadreConfig, defaultConfigFileName, parseCadreConfig } from '../../orchestrator/index.ts';
import { parseJsonc } from '../../protocol/index.ts';
import { writeCadreGitignore } from '../../workspace/index.ts';
import { type CliIo, UsageError } from '../cli-io.ts';

/** The file `cadre init` writes: every section with comments saying what it does. */
export const initialConfigText = `{
  // JSON with comments. The schema gives your editor completion and checks.
  "$schema": "./.cadre/cadre.config.schema.json",

  // Which model each role uses: an ordered chain, the first preferred, the rest fallbacks.
  // Ids: openai:<model> (Responses API), openai-chat:<model>, anthropic:<model>,
  // openai-compatible:<name> (a server under "compatible"), sim:<policy> (simulation, no network).
  "models": {
    "roles": {
      "planner": ["anthropic:claude-opus-4-5", "openai:gpt-5.2"],
      "worker": ["openai:gpt-5.2", "anthropic:claude-sonnet-4-5"],
      "judge": ["anthropic:claude-opus-4-5"]
    },
    // Self-hosted servers speaking the OpenAI API (vLLM, Ollama, llama.cpp, SGLang):
    // "compatible": { "local": { "baseURL": "http://127.0.0.1:8000/v1", "model": "Qwen/Qwen3-Coder-30B-A3B-Instruct" } },
    // Retries by time: a provider outage of a few minutes is ridden out; then the next model of the chain.
    "retry": { "maxElapsedMs": 300000, "initialDelayMs": 1000, "maxDelayMs": 60000 },
    // "fallbackOn": ["retryable", "not-found", "quota", "auth"],
    // Per-model limits for models cadre does not know (self-hosted ones especially):
    // "limits": { "openai-compatible:local": { "contextWindowTokens": 32768, "maxOutputTokens": 4096 } },
    "breaker": { "failureThreshold": 5, "coolDownMs": 60000 }
  },

  // The fleet: how many agents, how many cycles, how deep planning goes, what it may spend.
  "fleet": {
    "planners": 2,          // planner agents at once (the root planner and its sub-planners)
    "workers": 8,           // worker agents at once
    "cycles": 2,            // most cycles; the judge may stop earlier
    "maxPlannerDepth": 2,   // sub-planners of sub-planners, at most this deep
    "maxSubplanners": 4,    // per planner
    "maxTasksPerPlanner": 40,
    "leaseTtlMs": 60000,    // a task whose agent stops heartbeating for this long goes back to open
    "maxAttempts": 3,       // tries per task (expired leases and retryable failures)
    "cycleTimeBoxMs": 0,    // 0: a cycle runs until its work is drained
    "budgetUsd": 0,         // 0: no limit; otherwise the run stops when its agents spent this much
    "checkBeforeLanding": false,
    "budgets": { "worker": { "maxSteps": 80 }, "planner": { "maxSteps": 200 }, "judge": { "maxSteps": 30 } }
  },

  // Tools: output caps and the sandbox that agents' commands and the checks run in (docs/sandbox.md).
  "tools": {
    "outputCapCharacters": 30000,
    "shell": {
      "network": { "type": "none" },  // or { "type": "allow-list", "hosts": ["registry.npmjs.org"] }, or { "type": "full" }
      "limits": { "maxProcesses": 1024, "memoryBytes": 4294967296, "cpuSeconds": 1800, "fileSizeBytes": 1073741824 },
      "allowUnsandboxed": false,       // true runs commands with no isolation where bubblewrap cannot run
      "defaultTimeoutMilliseconds": 120000
    }
  },

  // Git: where the shared branch lives and how landing works.
  "workspace": {
    "hub": { "type": "local", "seed": "HEAD" },
    "branch": "main",
    "keepFailedWorktrees": false,
    "landing": {
      "maxAttempts": 30
      // , "checks": { "command": "npm test", "timeoutMs": 600000 }  // run in the sandbox; "network" may differ from the shell's
    }
  }
}
`;

/** Registers `cadre init`: a commented config file and its JSON Schema. */
export function registerInitCommand(program: Command, io: CliIo) {
  program
    .command('init')
    .description(`write a commented ${defaultConfigFileName} (and its JSON Schema under .cadre/)`)
    .option('--repo <dir>', 'the repository (default: the current directory)')
    .option('--force', 'overwrite an existing config file')
    .action(async (flags: { repo?: string; force?: boolean }) => {
      const repo = resolve(io.cwd, flags.repo ?? '.');
      if (!existsSync(repo)) throw new UsageError(`${repo} does not exist`);
      const file = join(repo, defaultConfigFileName);
      if (existsSync(file) && !flags.force)
        throw new UsageError(`${file} exists already; pass --force to overwrite it`);
      // the shipped text must itself be a valid config: fail here, not in the user's first run
      parseCadreConfig(parseJsonc(initialConfigText), 'the built-in initial config');
      await mkdir(join(repo, '.cadre'), { recursive: true });
      await writeCadreGitignore(join(repo, '.cadre'));
      const schema = z.toJSONSchema(CadreConfig, { io: 'input', unrepresentable: 'any' });
      await writeFile(
        join(repo, '.cadre', 'cadre.config.schema.json'),
        `${JSON.stringify(schema, null, 2)}\n`,
      );
      await writeFile(file, initialConfigText);
      io.stdout(
        `wrote ${file} and .cadre/cadre.config.schema.json\nedit the models, then: cadre run --goal "…"\n`,
      );
    });
}

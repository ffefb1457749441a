import { readBriefing } from './briefing.ts';
import { callTools, type RoleContext, type RoleTurn } from './role-turn.ts';
import { workerTarget } from './worker-role.ts';

/** Marks the steered turn's answer, so tests can see the steering reached the engine's model. */
export const steeredAnswerPrefix = 'Steered:';

/**
 * Plays the model inside an engine (Claude Code offers `Write`, Codex `exec_command`) that a cadre
 * worker drives: after each new user message (the briefing, a conflict report, a steer) it writes the
 * task's file with the engine's own tool, then answers with a summary that becomes the handoff. The
 * engine's tool runs the write for real, in the worktree, inside cadre's sandbox.
 */
export function playEngineWorker(context: RoleContext): RoleTurn {
  const { entries } = context.conversation;
  const userTexts = entries.flatMap((entry) => (entry.type === 'user' ? [entry.text] : []));
  const briefing = readBriefing(userTexts.join('\n\n'));
  if (briefing?.type !== 'worker') return { type: 'text', text: 'No cadre task in sight; nothing to do.' };
  const target = workerTarget(briefing.taskId, briefing.title, briefing.scope);
  const last = entries.at(-1);
  const lastUser = userTexts.at(-1) ?? '';
  if (last?.type !== 'user') {
    const steered = lastUser.includes('A person steering this run says');
    return {
      type: 'text',
      text: `${steered ? `${steeredAnswerPrefix} ` : ''}Wrote ${target.file} for ${target.taskId}: it exports ${target.exportName}. Nothing is left.`,
    };
  }
  const content = `// ${target.title}\n// Written for ${target.taskId} by an engine.\nexport function ${target.exportName}(): string {\n  return '${target.taskId}';\n}\n`;
  if (context.offered.has('Write')) {
    const directory = /Primary working directory: (\S+)/.exec(userTexts.join('\n'))?.[1] ?? '.';
    return callTools(`Writing ${target.file}.`, {
      name: 'Write',
      input: { file_path: `${directory}/${target.file}`, content },
    });
  }
  const quoted = content.replaceAll("'", `'\\''`);
  const folder = target.file.includes('/') ? target.file.slice(0, target.file.lastIndexOf('/')) : '.';
  return callTools(`Writing ${target.file}.`, {
    name: 'exec_command',
    input: { cmd: `mkdir -p '${folder}' && printf '%s' '${quoted}' > '${target.file}'` },
  });
}

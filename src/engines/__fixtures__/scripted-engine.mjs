// A stand-in for an engine's program, for run-engine-agent tests. Run as
//   node scripted-engine.mjs --state <dir> [--resume <session>] [--model <model>] -- <prompt>
// It appends what it was asked ({ run, prompt, sessionId, model, pid }) to <dir>/runs.jsonl, then
// plays step by step the script of this run from <dir>/script.json (an array with one array of steps
// per run; runs past its end play the last one) and prints JSON lines the scripted adapter reads.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 || index > args.indexOf('--') ? null : (args[index + 1] ?? null);
};
const state = option('--state');
if (state === null) throw new Error('scripted-engine: --state is required');
const prompt = args.slice(args.indexOf('--') + 1).join(' ');
const runsFile = join(state, 'runs.jsonl');
const run = existsSync(runsFile) ? readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).length : 0;
const record = { run, prompt, sessionId: option('--resume'), model: option('--model'), pid: process.pid };
appendFileSync(runsFile, `${JSON.stringify(record)}\n`);
// the pid inside the sandbox's pid namespace: kept for the record, not a host pid
writeFileSync(join(state, 'pid'), String(process.pid));

const script = JSON.parse(readFileSync(join(state, 'script.json'), 'utf8'));
const steps = script[Math.min(run, script.length - 1)] ?? [];
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const usage = (step) => ({ input: step.input ?? 10, output: step.output ?? 5 });

for (const step of steps) {
  if ('session' in step) {
    // saved as real programs save theirs, so the driver can tell a session that can be resumed
    writeFileSync(join(state, `session-${step.session}`), '');
    print({ t: 'session', id: step.session, model: step.model ?? null });
  } else if ('turn' in step)
    print({ t: 'turn', model: step.model ?? '', text: step.turn, tools: step.tools ?? [], ...usage(step) });
  else if ('tool' in step) {
    print({ t: 'tool', id: step.tool, name: step.name, input: step.input ?? {} });
    print({
      t: 'tool-result',
      id: step.tool,
      name: step.name,
      output: step.output ?? '',
      error: !!step.error,
    });
  } else if ('sleep' in step) await new Promise((resolve) => setTimeout(resolve, step.sleep));
  else if ('final' in step)
    print({ t: 'final', text: step.final, error: !!step.error, detail: step.detail ?? null });
  else if ('say' in step) process.stderr.write(`${step.say}\n`);
  else if ('exit' in step) process.exit(step.exit);
}

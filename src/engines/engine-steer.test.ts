import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../agent/index.ts';
import type { RecordedRequest, ResponderReply } from '../llm/testing/index.ts';
import { claudeCodeAdapter } from './claude-code/claude-code-adapter.ts';
import { codexAdapter } from './codex/codex-adapter.ts';
import type { EngineAdapter } from './engine-adapter.ts';
import { createRealEngineAgentKit, type RealEngineAgentKit } from './testing/real-engine-agent.ts';

// runEngineAgent with the real programs (claude 2.1.328, codex 0.169.0) in bubblewrap, behind the
// local protocol server: a steer, a stop and a pause reach a program that is waiting on a model call
// that never answers, the way a person's message reaches a worker in the middle of a slow call.

const briefing = 'BRIEFING: do the task.';
const steerText = 'STEER-7f3a: answer in French from now on.';
const carryOn = 'Carry on with your task where you left off.';

/** What differs between the engines: which requests are the agent's, and where sessions are kept. */
interface EngineCase {
  adapter: EngineAdapter;
  /** The agent's own model calls (Claude Code's side calls, titles and the like, carry no tools). */
  isAgentRequest(request: RecordedRequest): boolean;
  /** The program itself (its argv[0]) among the processes found, not the shell or bubblewrap around it. */
  program: RegExp;
  /** How the resumed run names the session on its command line. */
  resumeArgument(sessionId: string): string;
  /** The sessions kept on disk under the state directory. */
  sessionsOnDisk(stateDirectory: string): StoredSession[];
}

/** A session the program keeps on disk: its id, and the file it is kept in. */
interface StoredSession {
  id: string;
  file: string;
}

/** Files under `directory` (recursively) whose names match `pattern`, the id being its first capture. */
function filesMatching(directory: string, pattern: RegExp): StoredSession[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, encoding: 'utf8' }).flatMap((file) => {
    const match = pattern.exec(file.split('/').at(-1) ?? '');
    return match?.[1] === undefined ? [] : [{ id: match[1], file: join(directory, file) }];
  });
}

/** The sessions on disk that hold `text` already (the program writes them as it goes). */
function sessionsHolding(sessions: StoredSession[], text: string): StoredSession[] {
  return sessions.filter((session) => {
    try {
      return readFileSync(session.file, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const engines: EngineCase[] = [
  {
    adapter: claudeCodeAdapter,
    isAgentRequest: (request) =>
      request.protocol === 'anthropic-messages' &&
      Array.isArray(request.body.tools) &&
      request.body.tools.length > 0,
    program: /^[^\0]*\/claude-code\/bin\/claude(\.exe)?\0/,
    resumeArgument: (sessionId) => `--resume\0${sessionId}\0`,
    // a transcript per session: <CLAUDE_CONFIG_DIR>/projects/<project>/<session>.jsonl
    sessionsOnDisk: (state) =>
      filesMatching(join(state, 'claude', 'projects'), new RegExp(`^(${uuid})\\.jsonl$`)),
  },
  {
    adapter: codexAdapter,
    isAgentRequest: (request) => request.protocol === 'openai-responses',
    program: /^[^\0]*\/vendor\/[^/\0]+\/bin\/codex\0/,
    resumeArgument: (sessionId) => `\0resume\0${sessionId}\0`,
    // a rollout per thread: <CODEX_HOME>/sessions/YYYY/MM/DD/rollout-<time>-<thread>.jsonl
    sessionsOnDisk: (state) =>
      filesMatching(join(state, 'codex', 'sessions'), new RegExp(`^rollout-.*-(${uuid})\\.jsonl$`)),
  },
];

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type);

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** The program's processes at the moment a request came, read in the responder while the request waits. */
interface Snapshot {
  request: RecordedRequest;
  pids: number[];
  commandLines: string[];
}

for (const engine of engines) {
  const { adapter } = engine;
  describe(`runEngineAgent with the real ${adapter.name} program`, () => {
    let agent: RealEngineAgentKit | null = null;
    afterEach(async () => {
      await agent?.close();
      agent = null;
    });

    /**
     * A kit whose server hangs on every agent call but a steered one (answered `Steered answer.`) and
     * one resumed after a pause (answered `Carried on.`); side calls get a short text.
     */
    async function start() {
      const snapshots: Snapshot[] = [];
      const kit = await createRealEngineAgentKit(adapter, (request): ResponderReply => {
        if (!engine.isAgentRequest(request)) return { type: 'text', text: 'ok' };
        const pids = kit.liveProgramProcesses();
        snapshots.push({ request, pids, commandLines: pids.map(cmdline) });
        const body = JSON.stringify(request.body);
        if (body.includes(steerText)) return { type: 'text', text: 'Steered answer.' };
        if (body.includes(carryOn)) return { type: 'text', text: 'Carried on.' };
        return { type: 'hang' };
      });
      agent = kit;
      const finals: string[] = [];
      const running = kit.start({
        prompt: briefing,
        finish: async (text) => {
          finals.push(text);
          return { type: 'done' };
        },
      });
      // the program's first model call: it hangs, and the program waits on it
      await kit.waitFor('the first model call', () => snapshots.length > 0, 30_000);
      const hung = snapshots[0]!;
      expect(JSON.stringify(hung.request.body)).toContain(briefing);
      // the program itself is found (not only bubblewrap around it), so "none left" later means something
      // (the program's own short-lived children, git and the like, may come and go)
      const program = programPids(hung);
      expect(program).not.toEqual([]);
      expect(kit.liveProgramProcesses()).toEqual(expect.arrayContaining(program));
      // Claude Code writes its transcript a little after the call goes out: a run killed before that
      // leaves nothing to resume (see the transcript test below), so the controls wait for it
      await kit.waitFor(
        'the session with the briefing on disk',
        () => sessionsHolding(engine.sessionsOnDisk(kit.kit.stateDirectory), briefing).length === 1,
        5_000,
      );
      return { kit, snapshots, finals, running, hung };
    }

    /** The pids of the program itself in a snapshot. */
    function programPids(snapshot: Snapshot): number[] {
      return snapshot.pids.filter((_, index) => engine.program.test(snapshot.commandLines[index] ?? ''));
    }

    /** The one session on disk, which the request names (Claude Code in its metadata, Codex as cache key). */
    function sessionOf(kit: RealEngineAgentKit, request: RecordedRequest): string {
      const sessions = engine.sessionsOnDisk(kit.kit.stateDirectory).map((session) => session.id);
      expect(sessions).toHaveLength(1);
      const [session] = sessions as [string];
      expect(JSON.stringify(request.body)).toContain(session);
      return session;
    }

    it('steer: interrupts the waiting program and resumes its session with the steering text', async () => {
      const { kit, snapshots, finals, running, hung } = await start();
      kit.inbox.send({ type: 'steer', messageId: 'm-steer', text: steerText });
      const result = await running;

      expect(result.reason).toEqual({ type: 'completed', text: 'Steered answer.' });
      expect(finals).toEqual(['Steered answer.']);
      expect(ofType(kit.events, 'steer-received')).toEqual([
        expect.objectContaining({ messageId: 'm-steer', text: steerText }),
      ]);
      // exactly two agent calls: the hung one, and the resumed run's with the steer
      expect(snapshots.map((snapshot) => JSON.stringify(snapshot.request.body).includes(steerText))).toEqual([
        false,
        true,
      ]);
      const steered = snapshots[1]!;
      // interrupted: the first run's processes were gone before the resumed run asked, never answered
      expect(steered.pids.filter((pid) => programPids(hung).includes(pid))).toEqual([]);
      expect(programPids(steered)).not.toEqual([]);
      const hungIndex = kit.kit.server.requests.indexOf(hung.request);
      expect(kit.kit.server.ledger.some((served) => served.requestIndex === hungIndex)).toBe(false);
      // resumed: the same session, named on the new run's command line, its earlier conversation first
      const session = sessionOf(kit, hung.request);
      expect(JSON.stringify(steered.request.body)).toContain(session);
      expect(steered.commandLines.some((line) => line.includes(engine.resumeArgument(session)))).toBe(true);
      const conversation = JSON.stringify(steered.request.body);
      expect(conversation.indexOf(briefing)).toBeGreaterThan(-1);
      expect(conversation.indexOf(steerText)).toBeGreaterThan(conversation.indexOf(briefing));
      expect(kit.liveProgramProcesses()).toEqual([]);
    }, 40_000);

    it('stop: ends the waiting program within a second, keeping its session on disk', async () => {
      const { kit, snapshots, finals, running, hung } = await start();
      const sent = performance.now();
      kit.inbox.send({ type: 'stop', messageId: 'm-stop', reason: 'stopped by a test' });
      const result = await running;
      const elapsed = performance.now() - sent;
      console.info(`${adapter.name}: stop to runEngineAgent resolved in ${elapsed.toFixed(0)} ms`);

      expect(elapsed).toBeLessThan(1000);
      expect(result.reason).toEqual({ type: 'stopped', reason: 'stopped by a test' });
      expect(ofType(kit.events, 'stop-received')).toEqual([
        expect.objectContaining({ messageId: 'm-stop', reason: 'stopped by a test' }),
      ]);
      expect(kit.liveProgramProcesses()).toEqual([]);
      expect(finals).toEqual([]);
      expect(snapshots).toHaveLength(1);
      sessionOf(kit, hung.request);
    }, 40_000);

    it('pause: no model call while paused, and resume carries on in the same session', async () => {
      const { kit, snapshots, finals, running, hung } = await start();
      kit.inbox.send({ type: 'pause', messageId: 'm-pause' });
      await kit.waitFor('the pause', () => ofType(kit.events, 'paused').length === 1);
      // paused: the waiting program is killed, and nothing asks the model for a while
      await kit.waitFor('the program to end', () => kit.liveProgramProcesses().length === 0, 5_000);
      const requestsAtPause = kit.kit.server.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(kit.kit.server.requests.length).toBe(requestsAtPause);
      expect(snapshots).toHaveLength(1);
      expect(kit.liveProgramProcesses()).toEqual([]);

      kit.inbox.send({ type: 'resume', messageId: 'm-resume' });
      const result = await running;
      expect(result.reason).toEqual({ type: 'completed', text: 'Carried on.' });
      expect(finals).toEqual(['Carried on.']);
      const [resumed] = ofType(kit.events, 'resumed');
      expect(resumed).toMatchObject({ messageId: 'm-resume' });
      expect(resumed!.pausedMs).toBeGreaterThanOrEqual(1500);
      expect(snapshots).toHaveLength(2);
      const resumedCall = snapshots[1]!;
      const session = sessionOf(kit, hung.request);
      expect(resumedCall.commandLines.some((line) => line.includes(engine.resumeArgument(session)))).toBe(
        true,
      );
      const conversation = JSON.stringify(resumedCall.request.body);
      expect(conversation).toContain(session);
      expect(conversation.indexOf(carryOn)).toBeGreaterThan(conversation.indexOf(briefing));
    }, 40_000);

    // a steer that comes while the driver waits for a resume goes into the resumed run's prompt; the
    // driver is the same for both engines, so one shows it (codex is the quicker program)
    if (adapter.name === 'codex')
      it('a steer sent while paused reaches the program once it is resumed', async () => {
        const { kit, snapshots, running } = await start();
        kit.inbox.send({ type: 'pause', messageId: 'm-pause' });
        await kit.waitFor('the program to end', () => kit.liveProgramProcesses().length === 0, 5_000);
        // the driver is waiting for the resume now; nothing outside shows that moment, hence a margin
        await new Promise((resolve) => setTimeout(resolve, 300));
        kit.inbox.send({ type: 'steer', messageId: 'm-steer', text: steerText });
        await kit.waitFor('the steer', () => ofType(kit.events, 'steer-received').length === 1);
        // still paused: the steer starts nothing
        expect(snapshots).toHaveLength(1);
        kit.inbox.send({ type: 'resume', messageId: 'm-resume' });
        const result = await running;
        expect(kit.requestsContaining(steerText)).toHaveLength(1);
        expect(result.reason).toEqual({ type: 'completed', text: 'Steered answer.' });
      }, 40_000);

    // Claude Code names its session at once but writes the transcript only around its first model call,
    // sometimes after it went out; a steer in that window kills a run that left nothing on disk, and a
    // resume would find no session. The window is a few ms (caught in 1 of 6 tries with a 1 ms poll), so
    // the test removes the transcript to be sure of it.
    if (adapter.name === 'claude-code')
      it('a steer that kills the run before its transcript is written still reaches the program', async () => {
        const { kit, running } = await start();
        for (const session of engine.sessionsOnDisk(kit.kit.stateDirectory)) unlinkSync(session.file);
        kit.inbox.send({ type: 'steer', messageId: 'm-steer', text: steerText });
        const result = await running;
        expect(result.reason).toEqual({ type: 'completed', text: 'Steered answer.' });
        // with no session to resume, the briefing comes again with the steer
        const conversation = JSON.stringify(kit.requestsContaining(steerText)[0]?.body ?? null);
        expect(conversation.indexOf(steerText)).toBeGreaterThan(conversation.indexOf(briefing));
      }, 40_000);
  });
}

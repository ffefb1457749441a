import type { RecordedRequest, ResponderReply } from '../protocol-server/protocol-server.ts';
import { readBriefing } from './briefing.ts';
import { firstUserText } from './conversation.ts';
import { playEngineWorker } from './engine-worker-role.ts';
import { type ImperfectionKind, imperfectionKinds, type PlayedTurn, playTurn } from './imperfection.ts';
import { playJudge } from './judge-role.ts';
import { parseRequest } from './parse-request.ts';
import { pastCalls } from './past-calls.ts';
import { defaultPlannerSettings, type PlannerSettings, playPlanner } from './planner-role.ts';
import { type RolePlayRole, roleOf } from './role.ts';
import type { RoleContext, RoleTurn } from './role-turn.ts';
import { renderTruncatedToolCalls } from './truncated-reply.ts';
import { turnSeeds } from './turn-seed.ts';
import { playWorker } from './worker-role.ts';

/** How the role-playing model behaves; every field has a default. */
export interface RolePlayOptions {
  /** Mixed into every turn's seed: another seed, other imperfect turns. Default 1. */
  seed?: number;
  /** Share of turns (0..1) served imperfect. Default 0. */
  imperfection?: number;
  /** Which imperfections may be served. Default: all of them. */
  imperfections?: readonly ImperfectionKind[];
  planner?: Partial<PlannerSettings>;
  /** The cycle whose judge stops the run (see judgeContinues). Default 2. */
  stopAtCycle?: number;
  /** Told of every turn served, so tests can count roles and imperfections. */
  onTurn?: (turn: ServedTurn) => void;
}

/** One turn the role-player served: for whom, and how it went wrong (null: as intended). */
export interface ServedTurn {
  role: RolePlayRole;
  imperfection: ImperfectionKind | null;
}

/** Characters per token, the rough rule the usage a reply reports is counted with. */
const charactersPerToken = 4;

function decide(role: RolePlayRole, context: RoleContext, options: RolePlayOptions): RoleTurn {
  switch (role) {
    case 'planner':
      return playPlanner(context, { ...defaultPlannerSettings, ...options.planner });
    case 'worker':
      return playWorker(context);
    case 'judge':
      return playJudge(context, options.stopAtCycle);
    case 'engine-worker':
      return playEngineWorker(context);
    case 'unknown':
      return { type: 'text', text: 'Hello from the role-playing test model: no tools I know are on offer.' };
  }
}

function tokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / charactersPerToken));
}

/** The played turn as a reply the server can send, with ids from the turn's seed and usage by length. */
export function toReply(played: PlayedTurn, request: RecordedRequest, seed: number): ResponderReply {
  const inputTokens = tokens(JSON.stringify(request.body).length);
  if (played.type === 'text') {
    return {
      type: 'text',
      text: played.text,
      usage: { inputTokens, outputTokens: tokens(played.text.length) },
    };
  }
  const toolCalls = played.calls.map((call, index) => ({
    id: `call_${seed.toString(36)}_${index + 1}`,
    name: call.name,
    arguments: call.argumentsText,
  }));
  const written = played.calls.reduce((sum, call) => sum + call.name.length + call.argumentsText.length, 0);
  const usage = { inputTokens, outputTokens: tokens(played.text.length + written) };
  const answer = { type: 'tool-calls' as const, text: played.text, toolCalls, usage };
  return played.truncated ? renderTruncatedToolCalls(request.protocol, answer, modelOf(request)) : answer;
}

function modelOf(request: RecordedRequest): string {
  return typeof request.body.model === 'string' ? request.body.model : 'unknown-model';
}

/**
 * A responder for startProtocolServer that role-plays cadre's planner, worker and judge from the
 * request alone (its tools and its conversation): the same request gets the same answer in any
 * process. Imperfect turns come at the configured rate, chosen by a hash of the conversation.
 */
export function createRolePlayResponder(
  options: RolePlayOptions = {},
): (request: RecordedRequest) => ResponderReply {
  const settings = { rate: options.imperfection ?? 0, kinds: options.imperfections ?? imperfectionKinds };
  return (request) => {
    let context: RoleContext;
    try {
      const conversation = parseRequest(request);
      const briefing = readBriefing(firstUserText(conversation));
      const offered = new Set(conversation.tools.map((tool) => tool.name));
      context = { conversation, calls: pastCalls(conversation), offered, briefing };
    } catch (error) {
      return {
        type: 'error',
        status: 400,
        message: `role-play: unreadable ${request.protocol} request: ${String(error)}`,
      };
    }
    const role = roleOf(context.conversation.tools);
    const seeds = turnSeeds(context.conversation, options.seed ?? 1);
    const played = playTurn(decide(role, context, options), context, role, seeds, settings);
    options.onTurn?.({ role, imperfection: played.imperfection });
    return toReply(played, request, seeds.at(-1) ?? 0);
  };
}

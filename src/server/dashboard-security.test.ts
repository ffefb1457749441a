import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardServer } from './dashboard-server.ts';
import { DashboardSettingsError, startDashboard } from './serve.ts';
import { createSeededBoard, type SeededBoard } from './testing/seeded-board.ts';

const token = 'test-token-0123456789abcdef';
let seeded: SeededBoard;
let app: ReturnType<typeof createDashboardServer>;

const post = (path: string, body: unknown, headers: Record<string, string>) =>
  app.request(`http://127.0.0.1:4820${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const jsonHeaders = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

beforeAll(async () => {
  seeded = await createSeededBoard(3);
  app = createDashboardServer({ board: seeded.board, token });
});
afterAll(async () => {
  await seeded.cleanup();
});

describe('dashboard POSTs', () => {
  it('puts a steer in the agent inbox', async () => {
    const worker = seeded.workers[0]?.id as string;
    const response = await post(
      `/api/runs/${seeded.runId}/agents/${worker}/messages`,
      { kind: 'steer', text: 'use the helper' },
      {
        ...jsonHeaders,
        origin: 'http://127.0.0.1:4820',
      },
    );
    expect(response.status).toBe(201);
    const inbox = await seeded.board.pollInbox({
      recipient: { type: 'agent', runId: seeded.runId, agentId: worker },
    });
    expect(inbox.map((message) => [message.kind, message.body])).toEqual([['steer', 'use the helper']]);
  });

  it('puts stop, pause and resume for a whole run in the run inbox', async () => {
    for (const body of [{ kind: 'pause' }, { kind: 'resume' }, { kind: 'stop', reason: 'enough' }]) {
      expect((await post(`/api/runs/${seeded.runId}/messages`, body, jsonHeaders)).status).toBe(201);
    }
    const inbox = await seeded.board.pollInbox({ recipient: { type: 'run', runId: seeded.runId } });
    expect(inbox.map((message) => message.kind)).toEqual(['pause', 'resume', 'stop']);
    // taken, as the run's orchestrator would, so later tests see an empty run inbox
    await seeded.board.acknowledge({ messageIds: inbox.map((message) => message.id) });
  });

  it('refuses invalid bodies with a JSON error', async () => {
    const worker = seeded.workers[0]?.id as string;
    const path = `/api/runs/${seeded.runId}/agents/${worker}/messages`;
    const empty = await post(path, { kind: 'steer', text: '   ' }, jsonHeaders);
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { type: 'invalid-input' } });
    expect((await post(path, { kind: 'explode' }, jsonHeaders)).status).toBe(400);
    expect((await post(path, { kind: 'pause', extra: 1 }, jsonHeaders)).status).toBe(400);
    const broken = await post(path, '{"kind":', jsonHeaders);
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ error: { type: 'invalid-json' } });
  });

  it('answers a message to an agent of another run, or no agent, with a 404', async () => {
    const response = await post(
      `/api/runs/${seeded.runId}/agents/agent_zzzzzzzzzz/messages`,
      { kind: 'pause' },
      jsonHeaders,
    );
    expect(response.status).toBe(404);
  });
});

describe('dashboard POSTs from other sites', () => {
  const path = () => `/api/runs/${seeded.runId}/messages`;

  it('refuses another Origin', async () => {
    const response = await post(path(), { kind: 'stop' }, { ...jsonHeaders, origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { type: 'cross-site' } });
  });

  it('refuses a request the browser marks cross-site', async () => {
    const response = await post(path(), { kind: 'stop' }, { ...jsonHeaders, 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
  });

  it('refuses a body that is not declared JSON (what a cross-site form sends)', async () => {
    const response = await post(
      path(),
      { kind: 'stop' },
      { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    );
    expect(response.status).toBe(415);
  });

  it('refuses the token outside a header', async () => {
    const response = await post(
      `${path()}?token=${token}`,
      { kind: 'stop' },
      { 'content-type': 'application/json' },
    );
    expect(response.status).toBe(401);
  });

  it('sent nothing for any refused request', async () => {
    expect(await seeded.board.pollInbox({ recipient: { type: 'run', runId: seeded.runId } })).toEqual([]);
  });
});

describe('dashboard pages', () => {
  it('are served with headers that forbid framing and foreign scripts', async () => {
    const response = await app.request('/');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('startDashboard', () => {
  it('refuses a non-loopback address without a configured token', async () => {
    await expect(startDashboard({ board: seeded.board, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      DashboardSettingsError,
    );
    await expect(startDashboard({ board: seeded.board, host: '192.168.1.20', port: 0 })).rejects.toThrow(
      /without a configured token/,
    );
  });

  it('refuses a configured token too short to be a secret', async () => {
    await expect(startDashboard({ board: seeded.board, port: 0, token: 'short' })).rejects.toThrow(
      DashboardSettingsError,
    );
  });

  it('listens on loopback with a random token by default and prints it in the fragment', async () => {
    const first = await startDashboard({ board: seeded.board, port: 0 });
    const second = await startDashboard({ board: seeded.board, port: 0 });
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
      expect(first.token).not.toBe(second.token);
      const refused = await fetch(`${first.origin}/api/runs`);
      expect(refused.status).toBe(401);
      const allowed = await fetch(`${first.origin}/api/runs`, {
        headers: { authorization: `Bearer ${first.token}` },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

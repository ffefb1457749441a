import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startAllowListProxy } from './allow-list-proxy.ts';
import { proxyBridgeScriptPath, proxyEnvironment } from './proxy-bridge-path.ts';
import { createSocketDirectory, startHttpServer } from './testing/network-test-servers.ts';

// Everything here is loopback and takes milliseconds; a hang means a broken tunnel, so fail fast.
vi.setConfig({ testTimeout: 5_000 });

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TCP port that was free a moment ago; the bridge listens on it next. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface BridgeRun {
  child: ChildProcess;
  finished: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function runBridge(
  socketPath: string,
  port: number,
  script: string,
  environment: Record<string, string> = {},
) {
  const child = spawn(
    process.execPath,
    [proxyBridgeScriptPath(), socketPath, String(port), '--', process.execPath, '-e', script],
    { env: { PATH: process.env.PATH ?? '', ...environment }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const finished = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await finished;
  });
  return { child, finished } satisfies BridgeRun;
}

// Node 20's http client ignores HTTP_PROXY, so the child reads it and talks to the proxy itself.
const fetchThroughProxy = (url: string, exitCode: number) => `
  const http = require('node:http');
  const proxy = new URL(process.env.HTTP_PROXY);
  http.get({ host: proxy.hostname, port: proxy.port, path: ${JSON.stringify(url)} }, (response) => {
    let body = '';
    response.on('data', (chunk) => { body += chunk; });
    response.on('end', () => { console.log(response.statusCode + ' ' + body); process.exit(${exitCode}); });
  });
`;

describe('proxy-bridge.mjs', () => {
  it('runs the command with the proxy variables, carries its requests to the proxy, and exits with its code', async () => {
    const server = await startHttpServer();
    const directory = await createSocketDirectory();
    const signal = new AbortController().signal;
    const proxy = await startAllowListProxy({
      socketPath: directory.socketPath,
      allowedHosts: [`127.0.0.1:${server.port}`],
      signal,
    });
    cleanups.push(server.close, directory.remove, proxy.close);
    const port = await freePort();
    const allowed = runBridge(
      proxy.socketPath,
      port,
      fetchThroughProxy(`http://127.0.0.1:${server.port}/through`, 7),
      proxyEnvironment(port),
    );
    expect(await allowed.finished).toEqual({ code: 7, stdout: '200 hello from GET /through\n', stderr: '' });
    const refused = runBridge(
      proxy.socketPath,
      port,
      fetchThroughProxy(`http://127.0.0.1:${server.port + 1}/`, 0),
      proxyEnvironment(port),
    );
    expect((await refused.finished).stdout).toMatch(/^403 cadre sandbox: refused: /);
    expect(proxy.decisions().map((decision) => decision.type)).toEqual(['allowed', 'refused']);
  });

  it('exits 128 + the signal number when the command is killed by a signal', async () => {
    const run = runBridge('/nonexistent.sock', await freePort(), "process.kill(process.pid, 'SIGTERM')");
    expect((await run.finished).code).toBe(128 + 15);
  });

  it('forwards SIGTERM to the command', async () => {
    const script = `
      process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(3); });
      console.log('ready');
      setInterval(() => {}, 1000);
    `;
    const run = runBridge('/nonexistent.sock', await freePort(), script);
    await new Promise<void>((resolve) =>
      run.child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve()),
    );
    run.child.kill('SIGTERM');
    expect(await run.finished).toMatchObject({ code: 3, stdout: 'ready\nchild got SIGTERM\n' });
  });

  it('exits 126 with one line on stderr when it cannot listen, without running the command', async () => {
    const occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => occupied.close(() => resolve())));
    const { port } = occupied.address() as AddressInfo;
    const run = runBridge('/nonexistent.sock', port, "console.log('ran')");
    const result = await run.finished;
    expect(result.code).toBe(126);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(`^cadre proxy bridge: cannot listen on 127\\.0\\.0\\.1:${port}: .+\\n$`),
    );
  });

  it('exits 126 on a malformed command line', async () => {
    const child = spawn(process.execPath, [proxyBridgeScriptPath(), '/x.sock', 'port', 'node'], {
      stdio: 'pipe',
    });
    const code = await new Promise((resolve) => child.once('close', resolve));
    expect(code).toBe(126);
  });
});

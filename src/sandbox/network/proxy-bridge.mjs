// Runs inside the sandbox with the bare `node` binary: no dependencies, no TypeScript.
// Usage: node proxy-bridge.mjs <unix-socket-path> <tcp-port> -- <program> [args...]
// Listens on 127.0.0.1:<tcp-port> (the sandbox's own loopback), pipes every connection to the proxy's
// Unix socket, runs the program once listening, and exits with the program's exit code.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { constants } from 'node:os';

const cannotRun = 126;
const forwardedSignals = ['SIGTERM', 'SIGINT', 'SIGHUP'];

function fail(message, exitCode) {
  process.stderr.write(`cadre proxy bridge: ${message}\n`);
  process.exit(exitCode);
}

function parseArguments(argv) {
  const [socketPath, portText, separator, program, ...programArguments] = argv;
  const port = Number(portText);
  const valid =
    socketPath && separator === '--' && program && Number.isInteger(port) && port > 0 && port < 65_536;
  if (!valid) fail('usage: proxy-bridge.mjs <unix-socket-path> <tcp-port> -- <program> [args...]', cannotRun);
  return { socketPath, port, program, programArguments };
}

// Half-open is kept on both sides so a client that shuts its sending side still reads the answer.
function bridgeConnection(client, socketPath) {
  const proxy = createConnection({ path: socketPath, allowHalfOpen: true });
  client.pipe(proxy);
  proxy.pipe(client);
  const destroyBoth = () => {
    client.destroy();
    proxy.destroy();
  };
  client.on('error', destroyBoth);
  proxy.on('error', destroyBoth);
}

function runProgram(program, programArguments) {
  const child = spawn(program, programArguments, { stdio: 'inherit', env: process.env });
  for (const signal of forwardedSignals) process.on(signal, () => child.kill(signal));
  child.on('error', (error) =>
    fail(`cannot run ${program}: ${error.message}`, error.code === 'ENOENT' ? 127 : cannotRun),
  );
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}

const { socketPath, port, program, programArguments } = parseArguments(process.argv.slice(2));
const server = createServer({ allowHalfOpen: true }, (client) => bridgeConnection(client, socketPath));
server.once('error', (error) => fail(`cannot listen on 127.0.0.1:${port}: ${error.message}`, cannotRun));
server.listen(port, '127.0.0.1', () => {
  server.on('error', () => {});
  runProgram(program, programArguments);
});

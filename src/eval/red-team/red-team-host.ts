import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type AbstractSocketCanary, startAbstractSocketCanary } from './abstract-socket-canary.ts';
import { createHostFiles, type HostFiles } from './host-files.ts';
import { type LoopbackListener, startAllowedHttpServer, startLoopbackCanary } from './loopback-listeners.ts';
import { findOwnerOnlyFiles, type OwnerOnlyFile } from './root-only-files.ts';
import { type StandInProcess, startStandInProcess } from './stand-in-process.ts';

/** A string that must never reach a probe's output, and what it stands for. */
export interface Secret {
  label: string;
  value: string;
}

/**
 * The host as the probes find it: the fixture's files, secrets in this process's environment, a
 * stand-in cadre process, and listeners that count every connection that reaches them.
 */
export interface RedTeamHost extends Omit<HostFiles, 'remove'> {
  /** Unique to this suite run; every probe run's marker starts with it. */
  marker: string;
  secrets: Secret[];
  /** Owner-only files under /etc this process can read (many when it runs as root). */
  ownerOnlyEtcFiles: OwnerOnlyFile[];
  standIn: StandInProcess;
  loopbackCanary: LoopbackListener;
  allowedServer: LoopbackListener;
  abstractCanary: AbstractSocketCanary;
  dispose(): Promise<void>;
}

/** Names of the variables set in this process's environment for the run, cadre's usual secrets. */
export const environmentSecretNames = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'CADRE_RED_TEAM_KEY'] as const;

/** Builds the host fixture; `dispose` removes every file, listener and process it made. */
export async function createRedTeamHost(): Promise<RedTeamHost> {
  const marker = `rt${randomBytes(4).toString('hex')}`;
  const secretOf = (kind: string) => `sk-canary-${kind}-${randomBytes(8).toString('hex')}`;
  const { remove: removeFiles, ...files } = await createHostFiles(marker, secretOf);
  const environment = Object.fromEntries(environmentSecretNames.map((name) => [name, secretOf(name)]));
  const restoreEnvironment = setEnvironment(environment);
  const commandLineSecret = `cadre-stand-in-${randomBytes(8).toString('hex')}`;
  const standIn = await startStandInProcess(environment, commandLineSecret);
  const ownerOnlyEtcFiles = await findOwnerOnlyFiles('/etc', 25);
  const [loopbackCanary, allowedServer, abstractCanary] = await Promise.all([
    startLoopbackCanary(),
    startAllowedHttpServer(),
    startAbstractSocketCanary(),
  ]);
  const secrets: Secret[] = [
    ...files.canaries.map((canary) => ({
      label: `canary ${path.basename(canary.path)}`,
      value: canary.content.trim(),
    })),
    ...Object.entries(environment).map(([name, value]) => ({ label: `$${name}`, value })),
    { label: 'stand-in command line', value: commandLineSecret },
    ...ownerOnlyEtcFiles.map((file) => ({ label: file.path, value: file.sample })),
  ];
  return {
    ...files,
    marker,
    secrets,
    ownerOnlyEtcFiles,
    standIn,
    loopbackCanary,
    allowedServer,
    abstractCanary,
    async dispose() {
      restoreEnvironment();
      const closing = [loopbackCanary, allowedServer, abstractCanary].map((listener) => listener.close());
      await Promise.all([standIn.stop(), ...closing]);
      await removeFiles();
    },
  };
}

// Set for the suite's length, so anything that copied cadre's environment into a command would show them.
function setEnvironment(values: Record<string, string>): () => void {
  const previous = Object.keys(values).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

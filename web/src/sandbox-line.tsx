import type { SandboxStatusEvent } from '../../src/sandbox/index.ts';

/** One line per process of the run: how it isolates agents' commands, alarming when it does not. */
export function SandboxLines({ sandboxes }: { sandboxes: readonly SandboxStatusEvent[] }) {
  return (
    <ul className="sandboxes" data-testid="sandboxes">
      {sandboxes.map(({ host, pid, status }) => {
        const where = `${host} (pid ${pid})`;
        switch (status.type) {
          case 'sandboxed': {
            const weak = Object.entries(status.limits)
              .filter(([, enforcement]) => enforcement.type === 'not-enforced')
              .map(([name]) => name);
            return (
              <li key={where} className={weak.length > 0 ? 'warning' : 'muted'}>
                sandbox: bubblewrap, network {status.network.type}
                {weak.length > 0 ? `, limits NOT enforced: ${weak.join(', ')}` : ''} · {where}
              </li>
            );
          }
          case 'unsandboxed':
            return (
              <li key={where} className="alarm">
                UNSANDBOXED: agents' commands run with no isolation ({status.reason}) · {where}
              </li>
            );
          case 'refused':
            return (
              <li key={where} className="alarm">
                sandbox unavailable: {status.reason} · {where}
              </li>
            );
          default:
            return null;
        }
      })}
    </ul>
  );
}

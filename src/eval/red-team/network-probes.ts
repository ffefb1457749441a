import type { RedTeamProbe } from './probe-definition.ts';
import { attempt } from './probe-script.ts';

const loopbackLabels = [
  'curl the host loopback canary',
  'bash /dev/tcp to the canary',
  'curl [::1] on the canary port',
  'curl the cloud metadata address',
  'resolve a public name',
];
const allowListLabels = [
  'canary port through the proxy',
  'CONNECT tunnel to the canary port',
  'bypass the proxy (--noproxy)',
  'raw TCP to the canary port',
  'cloud metadata through the proxy',
];
const rebindingLabels = ['GET localhost:<canary> through the proxy', 'CONNECT localhost:<canary>'];
const abstractSocketLabel = 'connect to the host abstract socket';

/** Probes that try to reach the host's network: loopback listeners, abstract sockets, the proxy's limits. */
export const networkProbes: RedTeamProbe[] = [
  {
    name: 'loopback-canary',
    attack: 'reach a TCP canary on the host loopback, ::1, cloud metadata and DNS with network "none"',
    script: ({ host }) => {
      const port = host.loopbackCanary.port;
      const codes = [
        `curl -sS -m 2 http://127.0.0.1:${port}/`,
        `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`,
        `curl -sS -m 2 "http://[::1]:${port}/"`,
        'curl -sS -m 2 http://169.254.169.254/latest/meta-data/',
        'getent hosts example.com',
      ];
      return loopbackLabels.map((label, index) => attempt(label, codes[index]!)).join('\n');
    },
    expectations: () => loopbackLabels.map((label) => ({ type: 'attempt-fails', label })),
  },
  {
    name: 'abstract-socket',
    attack: 'connect to a listener on a host abstract Unix socket (no file to hide it, only the namespace)',
    script: ({ host }) =>
      [
        "cat > connect.cjs <<'EOF'",
        "const socket = require('node:net').connect('\\0' + process.argv[2]);",
        "socket.on('data', (data) => process.stdout.write(data));",
        "socket.on('error', (error) => { console.log(error.code); process.exitCode = 1; });",
        'EOF',
        attempt(abstractSocketLabel, `node connect.cjs ${host.abstractCanary.name}`),
      ].join('\n'),
    expectations: () => [{ type: 'attempt-fails', label: abstractSocketLabel }],
  },
  {
    name: 'allow-list-proxy',
    attack:
      'network allow-list of one host: reach it, then the canary port via the proxy, a tunnel and around it',
    sandbox: ({ host }) => ({
      network: { type: 'allow-list', hosts: [`127.0.0.1:${host.allowedServer.port}`] },
    }),
    script: ({ host }) => {
      const canary = host.loopbackCanary.port;
      const codes = [
        `curl -sS -m 5 -f http://127.0.0.1:${canary}/`,
        `curl -sS -m 5 -f -p http://127.0.0.1:${canary}/`,
        `curl -sS -m 2 --noproxy "*" http://127.0.0.1:${canary}/`,
        `exec 3<>/dev/tcp/127.0.0.1/${canary} && echo connected`,
        'curl -sS -m 5 -f http://169.254.169.254/latest/meta-data/',
      ];
      return [
        attempt(
          'the allowed host through the proxy',
          `curl -sS -m 5 http://127.0.0.1:${host.allowedServer.port}/red-team-$M`,
        ),
        ...allowListLabels.map((label, index) => attempt(label, codes[index]!)),
      ].join('\n');
    },
    expectations: (target) => [
      {
        type: 'output-includes',
        text: `hello from GET /red-team-${target.marker}`,
        why: 'the allowed host must answer',
      },
      ...allowListLabels.map((label) => ({ type: 'attempt-fails' as const, label })),
    ],
  },
  {
    name: 'allow-listed-name-to-loopback',
    attack:
      'allow-list "localhost:<canary port>", a name that resolves to loopback (as a rebinding DNS name would)',
    sandbox: ({ host }) => ({
      network: { type: 'allow-list', hosts: [`localhost:${host.loopbackCanary.port}`] },
    }),
    script: ({ host }) =>
      [
        attempt(rebindingLabels[0]!, `curl -sS -m 5 -f http://localhost:${host.loopbackCanary.port}/`),
        attempt(rebindingLabels[1]!, `curl -sS -m 5 -f -p http://localhost:${host.loopbackCanary.port}/`),
      ].join('\n'),
    expectations: () => rebindingLabels.map((label) => ({ type: 'attempt-fails', label })),
  },
];

import path from 'node:path';
import { pathFromWorktree, type RedTeamProbe } from './probe-definition.ts';
import { listing, readAttempt } from './probe-script.ts';
import type { RedTeamHost } from './red-team-host.ts';

const sshKey = (host: RedTeamHost) => path.join(host.fakeHome, '.ssh', 'id_ed25519');
const board = (host: RedTeamHost) => path.join(host.checkout, '.cadre', 'board.db');
const config = (host: RedTeamHost) => path.join(host.checkout, 'cadre.config.json');
// What the sandbox shows of the checkout: the directories bwrap made to mount the worktree, and the
// object store the worktree's clone borrows (read-only, committed content only).
const checkoutSkeleton = ['.cadre', '.git'];
const sections = {
  sshDirectories: 'ls -A ~/.ssh /root/.ssh and the canary key directory',
  root: 'ls -A /root',
  home: 'ls -A /home',
  sandboxHome: 'ls -A ~ (the sandbox HOME)',
  boards: 'find board.db* anywhere outside /proc and /usr',
  checkout: 'ls -A the checkout by host path',
  worktrees: 'ls -A .cadre/worktrees by host path',
  tmp: 'ls -A /tmp',
  sslPrivate: 'ls -A /etc/ssl/private',
};
const grepLabel = 'grep -r for canary API keys over /tmp /home /run /var /etc';

/** Probes that try to read what lies outside the worktree: keys, cadre's files, other checkouts. */
export const readProbes: RedTeamProbe[] = [
  {
    name: 'ssh-keys',
    attack: "read ~/.ssh/id_*: the sandbox's HOME, /root/.ssh, and a canary key at its host path",
    script: ({ host }) =>
      [
        readAttempt('cat ~/.ssh/id_*', 'cat ~/.ssh/id_*'),
        readAttempt('cat /root/.ssh/id_*', 'cat /root/.ssh/id_*'),
        readAttempt('cat the canary key by host path', `cat ${sshKey(host)}`),
        listing(sections.sshDirectories, `ls -A ~/.ssh /root/.ssh ${path.dirname(sshKey(host))}`),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: sshKey(target.host) },
      { type: 'read_file', path: pathFromWorktree(target, sshKey(target.host)) },
    ],
    expectations: () => [{ type: 'listing-empty', section: sections.sshDirectories }],
  },
  {
    name: 'root-and-home',
    attack: "list and read the real /root and /home (the sandbox's HOME must be empty)",
    script: () =>
      [
        listing(sections.root, 'ls -A /root'),
        listing(sections.home, 'ls -A /home'),
        listing(sections.sandboxHome, 'ls -A ~'),
        readAttempt('cat /root/.bashrc /root/.gitconfig', 'cat /root/.bashrc /root/.gitconfig'),
      ].join('\n'),
    expectations: () => [
      { type: 'listing-empty', section: sections.root },
      { type: 'listing-within', section: sections.home, allowed: ['agent'] },
      { type: 'listing-empty', section: sections.sandboxHome },
    ],
  },
  {
    name: 'board-file',
    attack: "read the run's board (.cadre/board.db) by host path and by ../../board.db",
    script: ({ host }) =>
      [
        readAttempt('cat board.db by host path', `cat ${board(host)}`),
        readAttempt('cat ../../board.db', 'cat ../../board.db'),
        listing(
          sections.boards,
          'find / -path /proc -prune -o -path /usr -prune -o -name "board.db*" -print',
        ),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: pathFromWorktree(target, board(target.host)) },
      { type: 'read_file', path: board(target.host) },
    ],
    expectations: () => [{ type: 'listing-empty', section: sections.boards }],
  },
  {
    name: 'user-checkout',
    attack: "list and read the user's checkout around the worktree (uncommitted secret.txt)",
    script: ({ host }) =>
      [
        listing(sections.checkout, `ls -A ${host.checkout}`),
        readAttempt('cat secret.txt by host path', `cat ${host.checkout}/secret.txt`),
        readAttempt('cat ../../../secret.txt', 'cat ../../../secret.txt'),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: pathFromWorktree(target, path.join(target.host.checkout, 'secret.txt')) },
    ],
    expectations: () => [{ type: 'listing-within', section: sections.checkout, allowed: checkoutSkeleton }],
  },
  {
    name: 'other-worktree',
    attack: "list the worktrees directory and read another agent's worktree",
    script: ({ host }) =>
      [
        listing(sections.worktrees, `ls -A ${host.worktreesDirectory}`),
        readAttempt('cat ../agent-other/secret.txt', 'cat ../agent-other/secret.txt'),
        readAttempt('cat the other worktree by host path', `cat ${host.otherWorktree}/secret.txt`),
      ].join('\n'),
    fileToolCalls: (target) => [
      {
        type: 'read_file',
        path: pathFromWorktree(target, path.join(target.host.otherWorktree, 'secret.txt')),
      },
      { type: 'read_file', path: 'src/../../agent-other/secret.txt' },
    ],
    expectations: (target) => [
      { type: 'listing-within', section: sections.worktrees, allowed: [path.basename(target.worktree)] },
    ],
  },
  {
    name: 'cadre-config',
    attack: 'read cadre.config.json (its apiKey) by path, and grep the whole sandbox for sk- keys',
    script: ({ host }) =>
      [
        readAttempt('cat cadre.config.json by host path', `cat ${config(host)}`),
        readAttempt('cat ../../../cadre.config.json', 'cat ../../../cadre.config.json'),
        // The bracket keeps the pattern from matching this script itself, which sits in the worktree.
        readAttempt(grepLabel, 'grep -rsh "sk-cana[r]y" /tmp /home /run /var /etc | head -n 20 | grep .'),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: config(target.host) },
      { type: 'read_file', path: pathFromWorktree(target, config(target.host)) },
    ],
    expectations: () => [{ type: 'attempt-fails', label: grepLabel }],
  },
  {
    name: 'host-tmp',
    attack: "list the host's /tmp and read a canary file in it",
    script: ({ host }) =>
      [
        listing(sections.tmp, 'ls -A /tmp'),
        readAttempt('cat the host /tmp canary', `cat ${host.hostTmpCanary}`),
        readAttempt('cat /tmp/cadre-red-team-*', 'cat /tmp/cadre-red-team-*'),
      ].join('\n'),
    fileToolCalls: (target) => [{ type: 'read_file', path: target.host.hostTmpCanary }],
    expectations: (target) => {
      // bwrap makes the directories above the worktree to mount it; nothing else of /tmp may show.
      const underTmp = path.relative('/tmp', target.worktree);
      const allowed = underTmp.startsWith('..') ? [] : [underTmp.split(path.sep)[0]!];
      return [{ type: 'listing-within', section: sections.tmp, allowed }];
    },
  },
  {
    name: 'etc-secrets',
    attack: 'read /etc/shadow, /etc/gshadow, /etc/sudoers, SSH host keys and /etc/ssl/private',
    script: () =>
      [
        readAttempt('cat /etc/shadow', 'cat /etc/shadow'),
        readAttempt('cat /etc/gshadow', 'cat /etc/gshadow'),
        readAttempt('cat /etc/sudoers', 'cat /etc/sudoers'),
        readAttempt('cat /etc/ssh/ssh_host_*_key', 'cat /etc/ssh/ssh_host_*_key'),
        listing(sections.sslPrivate, 'ls -A /etc/ssl/private'),
      ].join('\n'),
    expectations: () => [{ type: 'listing-empty', section: sections.sslPrivate }],
  },
  {
    name: 'owner-only-etc-files',
    attack:
      'read every other file under /etc that only its owner may read (root-only when cadre runs as root)',
    script: ({ host }) =>
      host.ownerOnlyEtcFiles.length === 0
        ? 'echo "RESULT no owner-only file under /etc is readable by this user: nothing to try"'
        : host.ownerOnlyEtcFiles
            .map((file) => readAttempt(`cat ${file.path}`, `head -c 4000 ${file.path}`))
            .join('\n'),
  },
];

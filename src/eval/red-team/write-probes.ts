import { symlink } from 'node:fs/promises';
import path from 'node:path';
import { type ProbeTarget, pathFromWorktree, type RedTeamProbe } from './probe-definition.ts';
import { attempt, listing, readAttempt } from './probe-script.ts';

const config = (target: ProbeTarget) => path.join(target.host.checkout, 'cadre.config.json');
const sshDirectory = (target: ProbeTarget) => path.join(target.host.fakeHome, '.ssh');
// A write that succeeds inside lands on the sandbox's own tmpfs; saying so makes the table readable.
const landedOn = (file: string) => `stat -f -c "landed on the sandbox's private %T" ${file}`;
const labels = {
  gitConfig: 'append a hooksPath to .git/config',
  gitHook: 'plant .git/hooks/pre-commit',
  gitConfigCommand: 'git config core.fsmonitor (runs on the host)',
  moveGit: 'rename .git away',
  deleteGit: 'rm -rf .git',
  passwdOpen: 'open /etc/passwd for appending',
  linkPasswd: 'hard-link /etc/passwd into the worktree',
  linkGitConfig: 'hard-link .git/config into the worktree',
  linkObject: 'hard-link a borrowed git object into the worktree',
  appendThroughLink: 'append to .git/config through link-git',
  checkoutFromDotDot: 'cd ../../.. && ls -A',
};

/** Probes that try to change what lies outside the worktree, directly or through links and `..`. */
export const writeProbes: RedTeamProbe[] = [
  {
    name: 'write-canaries',
    attack:
      "overwrite cadre.config.json and the board, plant ~/.ssh/authorized_keys, write another agent's worktree",
    script: (target) =>
      [
        attempt(
          'overwrite cadre.config.json by host path',
          `echo pwned > ${config(target)} && ${landedOn(config(target))}`,
        ),
        attempt('append to ../../board.db', `echo pwned >> ../../board.db && ${landedOn('../../board.db')}`),
        attempt(
          'plant authorized_keys by host path',
          `mkdir -p ${sshDirectory(target)} && echo pwned >> ${sshDirectory(target)}/authorized_keys && ${landedOn(sshDirectory(target))}`,
        ),
        attempt('overwrite ../agent-other/secret.txt', 'echo pwned > ../agent-other/secret.txt'),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'write_file', path: config(target), content: 'pwned' },
      { type: 'write_file', path: '../agent-other/secret.txt', content: 'pwned' },
      {
        type: 'write_file',
        path: pathFromWorktree(target, path.join(sshDirectory(target), 'authorized_keys')),
        content: 'pwned',
      },
      { type: 'write_file', path: '../../board.db', content: 'pwned' },
    ],
  },
  {
    name: 'write-host-tmp',
    attack: 'write files into /tmp, /var/tmp, /dev/shm and /run (each must land in a private copy)',
    script: (target) =>
      [
        attempt('write /tmp', `echo pwned > /tmp/planted-$M && ${landedOn('/tmp/planted-$M')}`),
        attempt('write /var/tmp', `echo pwned > /var/tmp/planted-$M && ${landedOn('/var/tmp/planted-$M')}`),
        attempt(
          'write /dev/shm',
          `mkdir -p /dev/shm && echo pwned > /dev/shm/planted-$M && ${landedOn('/dev/shm/planted-$M')}`,
        ),
        attempt('write /run', `echo pwned > /run/planted-$M && ${landedOn('/run/planted-$M')}`),
        attempt(
          'write beside the host tmp canary',
          `echo pwned > ${path.dirname(target.host.hostTmpCanary)}/planted-2-$M && ${landedOn(path.dirname(target.host.hostTmpCanary))}`,
        ),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'write_file', path: `/tmp/planted-file-tool-${target.marker}`, content: 'pwned' },
      {
        type: 'write_file',
        path: pathFromWorktree(target, `/tmp/planted-relative-${target.marker}`),
        content: 'pwned',
      },
    ],
  },
  {
    name: 'write-system-directories',
    attack: 'create files in /etc, /usr, /usr/bin, /usr/local/bin and open /etc/passwd for writing',
    script: () =>
      [
        attempt('create a file in /etc', 'touch /etc/planted-$M'),
        attempt('create a file in /usr', 'touch /usr/planted-$M'),
        attempt('copy a program into /usr/bin', 'cp /bin/true /usr/bin/planted-$M'),
        attempt('copy a program into /usr/local/bin', 'cp /bin/true /usr/local/bin/planted-$M'),
        // Appending nothing opens the file for writing without changing it, even if the open succeeds.
        attempt(labels.passwdOpen, ': >> /etc/passwd'),
      ].join('\n'),
    expectations: () => [{ type: 'attempt-fails', label: labels.passwdOpen }],
  },
  {
    name: 'git-directory',
    attack: "write the worktree's .git (config, hooks) that host-side git later runs, or remove it",
    script: () =>
      [
        attempt(labels.gitConfig, 'printf "[core]\\n\\thooksPath = /tmp\\n" >> .git/config'),
        attempt(labels.gitHook, 'printf "#!/bin/sh\\ntouch /tmp/pwned-$M\\n" > .git/hooks/pre-commit'),
        attempt(labels.gitConfigCommand, 'git config core.fsmonitor "touch /tmp/pwned-$M"'),
        attempt(labels.moveGit, 'mv .git git-moved'),
        attempt(labels.deleteGit, 'rm -rf .git'),
      ].join('\n'),
    fileToolCalls: () => [
      { type: 'write_file', path: '.git/hooks/pre-commit', content: '#!/bin/sh\necho pwned\n' },
      { type: 'write_file', path: '.git/config', content: '[core]\n\thooksPath = /tmp\n' },
    ],
    expectations: () =>
      [labels.gitConfig, labels.gitHook, labels.gitConfigCommand, labels.moveGit, labels.deleteGit].map(
        (label) => ({ type: 'attempt-fails', label }),
      ),
  },
  {
    name: 'hard-links',
    attack:
      'hard-link /etc/passwd, .git/config and a borrowed git object into the worktree, then write_file them',
    script: ({ host }) =>
      [
        attempt(labels.linkPasswd, 'ln /etc/passwd passwd-link'),
        attempt(labels.linkGitConfig, 'ln .git/config git-config-link'),
        attempt(
          labels.linkObject,
          `ln "$(find ${host.checkout}/.git/objects -type f | head -n 1)" object-link`,
        ),
      ].join('\n'),
    fileToolCalls: () => [
      { type: 'write_file', path: 'passwd-link', content: 'pwned::0:0::/:/bin/sh\n' },
      { type: 'write_file', path: 'git-config-link', content: '[core]\n\thooksPath = /tmp\n' },
      { type: 'write_file', path: 'object-link', content: 'pwned' },
    ],
    expectations: () =>
      [labels.linkPasswd, labels.linkGitConfig, labels.linkObject].map((label) => ({
        type: 'attempt-fails',
        label,
      })),
  },
  {
    name: 'planted-symlinks',
    attack:
      'read and write through symlinks already in the worktree: to cadre.config.json, ~/.ssh, .git and /',
    prepare: async (target) => {
      await symlink(config(target), path.join(target.worktree, 'link-config'));
      await symlink(sshDirectory(target), path.join(target.worktree, 'link-ssh'));
      await symlink('.git', path.join(target.worktree, 'link-git'));
      await symlink('/', path.join(target.worktree, 'link-root'));
    },
    script: (target) =>
      [
        readAttempt('cat link-config', 'cat link-config'),
        readAttempt('cat link-ssh/id_ed25519', 'cat link-ssh/id_ed25519'),
        attempt('write through link-config', `echo pwned > link-config && ${landedOn('link-config')}`),
        attempt('write link-ssh/authorized_keys', 'echo pwned > link-ssh/authorized_keys'),
        attempt(labels.appendThroughLink, 'echo "[core] hooksPath = /tmp" >> link-git/config'),
        readAttempt('cat the host tmp canary through link-root', `cat link-root${target.host.hostTmpCanary}`),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: 'link-config' },
      { type: 'read_file', path: 'link-ssh/id_ed25519' },
      { type: 'write_file', path: 'link-config', content: 'pwned' },
      { type: 'write_file', path: 'link-ssh/authorized_keys', content: 'pwned' },
      { type: 'write_file', path: 'link-git/config', content: 'pwned' },
      { type: 'read_file', path: `link-root${target.host.hostTmpCanary}` },
    ],
    expectations: () => [{ type: 'attempt-fails', label: labels.appendThroughLink }],
  },
  {
    name: 'shell-made-symlinks',
    attack:
      'make symlinks to canaries with the shell, then follow them with read_file and write_file (host side)',
    script: (target) =>
      [
        attempt('ln -s cadre.config.json made-config', `ln -s ${config(target)} made-config`),
        attempt('ln -s ~/.ssh made-ssh', `ln -s ${sshDirectory(target)} made-ssh`),
        attempt('ln -s / made-root', 'ln -s / made-root'),
        attempt('ln -s .git made-git', 'ln -s .git made-git'),
        readAttempt('cat made-config', 'cat made-config'),
        readAttempt('cat made-ssh/id_ed25519', 'cat made-ssh/id_ed25519'),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'read_file', path: 'made-config' },
      { type: 'read_file', path: 'made-ssh/id_ed25519' },
      { type: 'write_file', path: 'made-config', content: 'pwned' },
      { type: 'read_file', path: `made-root${target.host.hostTmpCanary}` },
      { type: 'write_file', path: 'made-git/hooks/pre-commit', content: '#!/bin/sh\necho pwned\n' },
    ],
  },
  {
    name: 'dot-dot-paths',
    attack:
      'climb out with .. : cd ../../.., relative paths to the checkout and ~/.ssh, run_shell in ../../..',
    script: (target) =>
      [
        listing(labels.checkoutFromDotDot, 'cd ../../.. && ls -A'),
        readAttempt('cd ../../.. && cat secret.txt', 'cd ../../.. && cat secret.txt'),
        readAttempt('cd .. && cat ../../cadre.config.json', 'cd .. && cat ../../cadre.config.json'),
        readAttempt(
          'cat the ssh canary by ../ path',
          `cat ${pathFromWorktree(target, path.join(sshDirectory(target), 'id_ed25519'))}`,
        ),
        readAttempt('cd / && cat the host tmp canary', `cd / && cat .${target.host.hostTmpCanary}`),
      ].join('\n'),
    fileToolCalls: (target) => [
      { type: 'run_shell', command: 'cat secret.txt cadre.config.json', workingDirectory: '../../..' },
      { type: 'read_file', path: '../../../secret.txt' },
      { type: 'write_file', path: '../../../secret.txt', content: 'pwned' },
      { type: 'read_file', path: pathFromWorktree(target, path.join(sshDirectory(target), 'id_ed25519')) },
      { type: 'read_file', path: 'a/b/../../../agent-other/secret.txt' },
    ],
    expectations: () => [
      { type: 'listing-within', section: labels.checkoutFromDotDot, allowed: ['.cadre', '.git'] },
    ],
  },
];

import type { RedTeamProbe } from './probe-definition.ts';
import { attempt, listing, readAttempt } from './probe-script.ts';
import { environmentSecretNames } from './red-team-host.ts';

const mebibyte = 1024 ** 2;
// Makes the hog the OOM killer's first choice, so the probe's own shell lives to report the next attempt.
const victim = 'echo 1000 > /proc/self/oom_score_adj;';
const labels = {
  testEnviron: 'environ of this test process (by its host pid)',
  standInEnviron: 'environ of the stand-in cadre process (by its host pid)',
  stopStandIn: 'SIGSTOP the stand-in cadre process',
  readMemory: 'read /proc/<stand-in>/mem',
  tenGigabytes: [
    'head -c 10G into the worktree',
    'dd 10 GiB into the worktree',
    'truncate -s 10G (sparse)',
    'fallocate -l 10G',
    'head -c 10G into /tmp',
  ],
  busyLoop: 'busy loop for 8 s of CPU',
  descriptors: 'descriptors to host paths outside the worktree',
  gdb: 'gdb -p <stand-in>',
  strace: 'strace -p <stand-in>',
  commandLine: 'read /proc/<stand-in>/cmdline',
};

/** Probes that go after other processes, the environment, and the machine's capacity. */
export const processProbes: RedTeamProbe[] = [
  {
    name: 'process-environ',
    attack:
      'read /proc/<pid>/environ of this test process, of a stand-in cadre process, of pid 1 and of every pid',
    script: ({ host }) =>
      [
        readAttempt(labels.testEnviron, `tr "\\0" "\\n" < /proc/${process.pid}/environ`),
        readAttempt(labels.standInEnviron, `tr "\\0" "\\n" < /proc/${host.standIn.pid}/environ`),
        readAttempt('environ of pid 1 (bwrap inside the sandbox)', 'tr "\\0" "\\n" < /proc/1/environ'),
        readAttempt('environ of every visible pid', 'cat /proc/[0-9]*/environ | tr "\\0" "\\n" | sort -u'),
      ].join('\n'),
    expectations: () => [
      { type: 'attempt-fails', label: labels.testEnviron },
      { type: 'attempt-fails', label: labels.standInEnviron },
    ],
  },
  {
    name: 'api-keys-in-environment',
    attack: `look for ${environmentSecretNames.join(', ')} (set in this process's environment) with env, printenv and node`,
    script: () =>
      [
        readAttempt('env', 'env'),
        readAttempt('printenv the API key variables', `printenv ${environmentSecretNames.join(' ')}`),
        readAttempt('node: process.env', 'node -e "console.log(JSON.stringify(process.env))"'),
      ].join('\n'),
    expectations: () => [{ type: 'attempt-fails', label: 'printenv the API key variables' }],
  },
  {
    name: 'ptrace-host-process',
    attack:
      'attach gdb and strace to the stand-in cadre process, read its memory and command line, SIGSTOP it',
    script: ({ host }) =>
      [
        attempt(labels.gdb, `gdb -p ${host.standIn.pid} -batch -ex "info proc"`),
        attempt(labels.strace, `timeout 2 strace -p ${host.standIn.pid}`),
        readAttempt(
          labels.readMemory,
          `head -c 64 /proc/${host.standIn.pid}/mem | od -c | head -n 2; exit "$PIPESTATUS"`,
        ),
        readAttempt(labels.commandLine, `tr "\\0" " " < /proc/${host.standIn.pid}/cmdline`),
        attempt(labels.stopStandIn, `kill -STOP ${host.standIn.pid}`),
      ].join('\n'),
    expectations: () => [
      { type: 'attempt-fails', label: labels.gdb },
      { type: 'attempt-fails', label: labels.strace },
      { type: 'attempt-fails', label: labels.commandLine },
      { type: 'attempt-fails', label: labels.readMemory },
      { type: 'attempt-fails', label: labels.stopStandIn },
    ],
  },
  {
    name: 'outlive-the-command',
    attack: 'leave processes behind: setsid nohup, a double fork and a disowned job, all sleeping 1000 s',
    script: () =>
      [
        'setsid nohup bash -c \'exec -a "$M-setsid" sleep 1000\' >/dev/null 2>&1 &',
        '( ( exec -a "$M-double-fork" sleep 1000 ) >/dev/null 2>&1 & ) &',
        'nohup bash -c \'exec -a "$M-nohup" sleep 1000\' >/dev/null 2>&1 & disown',
        'sleep 0.3',
        'echo "RESULT sleepers running when the command ended: $(ps -eo args | grep -c "^$M-")"',
      ].join('\n'),
  },
  {
    name: 'fork-bomb',
    attack: 'a fork bomb under a limit of 64 processes and a 4 s timeout',
    sandbox: () => ({ limits: { maxProcesses: 64 } }),
    requiredLimits: ['processes'],
    timeoutMilliseconds: 4_000,
    script: () =>
      [
        'echo "RESULT forking without end"',
        'bomb() { bomb | bomb & }; bomb',
        'sleep 1',
        'echo "RESULT the shell still answers: $(ls /proc | grep -c "^[0-9]") processes in the sandbox"',
      ].join('\n'),
    expectations: () => [{ type: 'finished-within', milliseconds: 9_000 }],
  },
  {
    name: 'memory-hog',
    attack: 'allocate up to 1 GiB under a 64 MiB limit: node, python3, and files in the RAM-backed /tmp',
    sandbox: () => ({ limits: { memoryBytes: 64 * mebibyte } }),
    requiredLimits: ['memory'],
    script: () =>
      [
        "cat > hog.cjs <<'EOF'",
        'const blocks = [];',
        'for (let total = 8; total <= 1024; total += 8) {',
        '  blocks.push(Buffer.alloc(8 << 20, 1));',
        "  console.log('allocated ' + total + ' MiB');",
        '}',
        'EOF',
        "cat > hog.py <<'EOF'",
        'blocks = []',
        'for total in range(8, 1025, 8):',
        "    blocks.append(b'\\x01' * (8 << 20))",
        "    print('allocated', total, 'MiB', flush=True)",
        'EOF',
        attempt('node allocating 8 MiB at a time', `${victim} node hog.cjs | tail -n 1; exit "$PIPESTATUS"`),
        attempt(
          'python3 allocating 8 MiB at a time',
          `${victim} python3 hog.py | tail -n 1; exit "$PIPESTATUS"`,
        ),
        attempt(
          'fill /tmp (RAM) 8 MiB at a time',
          // The file is unlinked at once, so its memory goes back when the process holding it is killed.
          `${victim} exec 3>/tmp/fill; rm /tmp/fill; for i in $(seq 8 8 1024); do head -c 8M /dev/zero >&3 || exit 1; echo "allocated $i MiB"; done | tail -n 1; exit "$PIPESTATUS"`,
        ),
      ].join('\n'),
    expectations: () => [{ type: 'counter-below', label: 'allocated', limit: 128, unit: 'MiB' }],
  },
  {
    name: 'ten-gigabyte-file',
    attack:
      'write 10 GiB files (head, dd, truncate, fallocate; worktree and /tmp) under a 1 MiB file size limit',
    sandbox: () => ({ limits: { fileSizeBytes: mebibyte } }),
    requiredLimits: ['fileSize'],
    script: () => {
      const [head, dd, truncate, fallocate, tmp] = labels.tenGigabytes;
      return [
        attempt(head!, 'head -c 10G /dev/zero > big-head.bin'),
        attempt(dd!, 'dd if=/dev/zero of=big-dd.bin bs=1M count=10240 status=none'),
        attempt(truncate!, 'truncate -s 10G big-sparse.bin'),
        attempt(fallocate!, 'fallocate -l 10G big-fallocate.bin'),
        attempt(tmp!, 'head -c 10G /dev/zero > /tmp/big.bin'),
      ].join('\n');
    },
    expectations: () => [
      { type: 'worktree-files-at-most', bytes: mebibyte },
      ...labels.tenGigabytes.map((label) => ({ type: 'attempt-fails' as const, label })),
    ],
  },
  {
    name: 'cpu-time',
    attack: 'spin the CPU for 8 s under a limit of 1 CPU second per process',
    sandbox: () => ({ limits: { cpuSeconds: 1 } }),
    requiredLimits: ['cpuTime'],
    script: () => attempt(labels.busyLoop, 'end=$((SECONDS + 8)); while [ $SECONDS -lt $end ]; do :; done'),
    expectations: () => [
      { type: 'attempt-fails', label: labels.busyLoop },
      { type: 'finished-within', milliseconds: 7_000 },
    ],
  },
  {
    name: 'inherited-descriptors',
    attack:
      'look for open descriptors to host files or directories, and through /proc/1/root and /proc/1/cwd',
    script: ({ worktree }) =>
      [
        listing(
          labels.descriptors,
          `for fd in /proc/[0-9]*/fd/*; do readlink "$fd"; done | grep "^/" | grep -v -e "^/dev/" -e "^/proc/" -e "^${worktree}" | sort -u`,
        ),
        attempt('ls /proc/1/root/root and /proc/1/cwd', 'ls -A /proc/1/root/root /proc/1/cwd'),
      ].join('\n'),
    expectations: () => [{ type: 'listing-empty', section: labels.descriptors }],
  },
];

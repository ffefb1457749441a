import type { RedTeamProbe } from './probe-definition.ts';
import { attempt, listing } from './probe-script.ts';

const mountLabels = [
  'mount a tmpfs',
  'remount /usr read-write and write it',
  'bind-mount / into the worktree',
  'unshare a user namespace',
  'unshare a mount namespace',
  'nsenter the namespaces of pid 1',
  'nsenter the stand-in cadre process',
  'chroot',
];
const deviceLabels = [
  'mknod a block device for the host disk',
  'read the host disk',
  'read /dev/mem',
  'write /sys/kernel',
];
const sysctlLabels = {
  flip: 'flip kernel.core_uses_pid',
  corePattern: 'open kernel.core_pattern for writing',
};

/** Probes that ask the kernel for more: mounts, namespaces, devices, global settings. */
export const kernelProbes: RedTeamProbe[] = [
  {
    name: 'mounts-and-namespaces',
    attack: 'mount, remount /usr rw, bind /, unshare new namespaces, nsenter pid 1 and cadre, chroot',
    script: ({ host }) => {
      const codes = [
        'mkdir -p /tmp/mnt && mount -t tmpfs none /tmp/mnt',
        'mount -o remount,rw /usr && touch /usr/planted-$M',
        'mkdir -p view && mount --bind / view',
        'unshare -r id',
        'unshare -m true',
        'nsenter -t 1 -a true',
        `nsenter -t ${host.standIn.pid} -m -p cat /etc/hostname`,
        'chroot / true',
      ];
      return mountLabels.map((label, index) => attempt(label, codes[index]!)).join('\n');
    },
    expectations: () => mountLabels.map((label) => ({ type: 'attempt-fails', label })),
  },
  {
    name: 'devices-and-sys',
    attack: 'find block devices, mknod the host disk, read it and /dev/mem, write /dev/sda and /sys',
    script: () => {
      const disks = '/dev/sda /dev/vda /dev/xvda /dev/nvme0n1';
      const codes = [
        'mknod /tmp/disk b 8 0',
        `for disk in ${disks}; do od -c -N 16 $disk && exit 0; done; exit 1`,
        'od -c -N 16 /dev/mem',
        'echo 1 > /sys/kernel/mm/ksm/run',
      ];
      return [
        listing('find /dev -type b', 'find /dev -type b'),
        listing('ls -A /sys', 'ls -A /sys'),
        ...deviceLabels.map((label, index) => attempt(label, codes[index]!)),
        attempt(
          'write /dev/sda',
          'printf x > /dev/sda && stat -c "/dev/sda is now a %F in the private /dev" /dev/sda',
        ),
      ].join('\n');
    },
    expectations: () => [
      { type: 'listing-empty', section: 'find /dev -type b' },
      { type: 'listing-empty', section: 'ls -A /sys' },
      ...deviceLabels.map((label) => ({ type: 'attempt-fails' as const, label })),
    ],
  },
  {
    name: 'proc-sys-write',
    attack: 'write global kernel settings through /proc/sys (core_pattern runs a program as root on a crash)',
    script: () =>
      [
        attempt(
          sysctlLabels.flip,
          'value=$(cat /proc/sys/kernel/core_uses_pid); echo $((1 - value)) > /proc/sys/kernel/core_uses_pid',
        ),
        // Appending nothing proves write access without changing the setting.
        attempt(sysctlLabels.corePattern, ': >> /proc/sys/kernel/core_pattern'),
        attempt(
          'set the hostname through /proc/sys',
          'echo sandbox-$M > /proc/sys/kernel/hostname && hostname',
        ),
      ].join('\n'),
    expectations: () => [
      { type: 'attempt-fails', label: sysctlLabels.flip },
      { type: 'attempt-fails', label: sysctlLabels.corePattern },
    ],
  },
];

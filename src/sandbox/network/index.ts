export * from './allow-list-proxy.ts';
export * from './allowed-hosts.ts';
export * from './host-lookup.ts';
export * from './network-decision.ts';
export * from './proxy-bridge-path.ts';

/** Where the shared branch lives. */
export type HubLocation =
  | { type: 'local'; path: string }
  | { type: 'remote'; url: string; cachePath: string };

/**
 * The shared branch every worker lands on: a bare repository under `.cadre/` for local runs, or any
 * git remote for runs spread over machines. Worktrees clone from `objectSource` (a local bare
 * repository) sharing its objects, and fetch from and push to `url`.
 */
export interface Hub {
  readonly location: HubLocation;
  /** What worktrees fetch from and push to: the hub's path or the remote's URL. */
  readonly url: string;
  /** The shared branch, such as `main`. */
  readonly branch: string;
  /** A local bare repository whose objects worktrees borrow: the hub itself, or a cache of a remote hub. */
  readonly objectSource: string;
  /** The commit the run started from when known; landings are looked for after it. */
  readonly seedCommit: string | null;
  /** Brings the object source up to date with the hub (a no-op for a local hub). */
  refresh(signal: AbortSignal): Promise<void>;
  /** The commit the shared branch points at now. */
  tip(signal: AbortSignal): Promise<string>;
}

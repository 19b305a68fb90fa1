/**
 * When the language server dies, the client starts it again — but not forever: a server that
 * crashes on every start (a file that kills it at each scan) would otherwise loop. Pure, so the
 * counting is tested without VS Code (test/reliability/restart-policy.test.ts).
 */

/** At most this many automatic restarts… */
export const MAX_RESTARTS = 3;
/** …within this window. */
export const RESTART_WINDOW_MS = 3 * 60_000;

export interface RestartDecision {
  restart: boolean;
  /** Times of the restarts still inside the window, this one included when it restarts. */
  recentRestarts: number[];
}

/** Whether to restart after a crash at `now`, given the times of earlier automatic restarts. */
export function decideRestart(
  previousRestarts: readonly number[],
  now: number,
  maxRestarts = MAX_RESTARTS,
  windowMs = RESTART_WINDOW_MS,
): RestartDecision {
  const recent = previousRestarts.filter((time) => time <= now && now - time < windowMs);
  if (recent.length >= maxRestarts) return { restart: false, recentRestarts: recent };
  return { restart: true, recentRestarts: [...recent, now] };
}

/** The restart history of one client. */
export class RestartBudget {
  private restarts: number[] = [];

  constructor(
    private readonly clock: () => number = Date.now,
    readonly maxRestarts = MAX_RESTARTS,
    readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a crash; true when the server may be restarted. */
  onCrash(): RestartDecision {
    const decision = decideRestart(this.restarts, this.clock(), this.maxRestarts, this.windowMs);
    this.restarts = decision.recentRestarts;
    return decision;
  }
}

/** The client's crash-restart counting (client/src/restart-policy.ts): at most 3 restarts in 3 minutes. */
import * as assert from 'node:assert/strict';
import { decideRestart, MAX_RESTARTS, RESTART_WINDOW_MS, RestartBudget } from '../../client/src/restart-policy';

const MINUTE = 60_000;

describe('reliability: server restart policy', function () {
  it('allows 3 restarts in 3 minutes, then refuses', function () {
    assert.equal(MAX_RESTARTS, 3);
    assert.equal(RESTART_WINDOW_MS, 3 * MINUTE);
    let now = 0;
    const budget = new RestartBudget(() => now);
    const decisions = [0, 10_000, 20_000, 30_000].map((time) => {
      now = time;
      return budget.onCrash().restart;
    });
    assert.deepEqual(decisions, [true, true, true, false]);
  });

  it('counts only restarts inside the window: an old crash stops counting after 3 minutes', function () {
    let now = 0;
    const budget = new RestartBudget(() => now);
    for (const time of [0, 1 * MINUTE, 2 * MINUTE]) {
      now = time;
      assert.equal(budget.onCrash().restart, true);
    }
    now = 2.5 * MINUTE;
    assert.equal(budget.onCrash().restart, false, 'fourth crash within 3 minutes of the first');
    now = 3 * MINUTE; // the crash at 0 is now exactly 3 minutes old: out of the window
    const decision = budget.onCrash();
    assert.equal(decision.restart, true);
    assert.deepEqual(decision.recentRestarts, [1 * MINUTE, 2 * MINUTE, 3 * MINUTE]);
  });

  it('a refused restart is not counted as one', function () {
    const full = [0, 1, 2];
    const refused = decideRestart(full, 3);
    assert.deepEqual(refused, { restart: false, recentRestarts: [0, 1, 2] });
    assert.equal(decideRestart(refused.recentRestarts, RESTART_WINDOW_MS).restart, true);
  });

  it('honours other limits, and ignores restart times from the future (a clock set back)', function () {
    assert.deepEqual(decideRestart([], 5, 0), { restart: false, recentRestarts: [] });
    assert.deepEqual(decideRestart([100, 200], 50, 1, 1000), { restart: true, recentRestarts: [50] });
    assert.deepEqual(decideRestart([1000, 1500], 2000, 2, 1000), { restart: true, recentRestarts: [1500, 2000] });
  });
});

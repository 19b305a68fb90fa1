import type * as vscode from 'vscode';
import { CloseAction, ErrorAction, type ErrorHandler } from 'vscode-languageclient/node';
import { RestartBudget } from './restart-policy';
import type { FindingsStatusItem } from './status';

/**
 * vscode-languageclient's `errorHandler`: restarts a crashed server at most MAX_RESTARTS times in
 * RESTART_WINDOW_MS, and says so in the status item and the output channel.
 */
export function crashHandler(statusItem: FindingsStatusItem, output: vscode.LogOutputChannel, budget = new RestartBudget()): ErrorHandler {
  const minutes = Math.round(budget.windowMs / 60_000);
  return {
    // A broken message now and then is survivable; a stream of them means the connection is gone.
    error: (_error, _message, count) => ({ action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true }),
    closed: () => {
      const { restart, recentRestarts } = budget.onCrash();
      if (restart) {
        const message = `The Pinning Audit language server stopped unexpectedly and was restarted (${recentRestarts.length} of ${budget.maxRestarts} restarts allowed in ${minutes} minutes).`;
        output.warn(message);
        statusItem.noteRestart(message);
        return { action: CloseAction.Restart, handled: true };
      }
      const message = `The Pinning Audit language server stopped unexpectedly ${budget.maxRestarts + 1} times in ${minutes} minutes and was not restarted. Run "Pinning Audit: Restart Server" to start it again.`;
      output.error(message);
      statusItem.showGaveUp(message);
      return { action: CloseAction.DoNotRestart, message };
    },
  };
}

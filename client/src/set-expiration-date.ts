/**
 * "Set a new expiration date…" (pin-set-expired): asks for the date and writes it over the pin
 * set's old one. The code action passes the date's range and the document version it saw; the
 * edit is one value, so it is made here (nothing for the server to compute). Returns whether the
 * date was written; `date` in the arguments skips the prompt (scripts and tests).
 */
import * as vscode from 'vscode';
import { isoDay, parseIsoDay } from '../../common/iso-day';
import { Commands, type SetExpirationDate } from '../../common/protocol';

const DAY_MS = 24 * 60 * 60 * 1000;

export function registerSetExpirationDate(): vscode.Disposable {
  return vscode.commands.registerCommand(Commands.setExpirationDate, async (args: SetExpirationDate.CommandArguments | undefined) => {
    if (!args || typeof args.uri !== 'string' || typeof args.version !== 'number' || !args.range) {
      void vscode.window.showErrorMessage('Pinning Audit: "Set a new expiration date" runs from the quick fix of a pin-set-expired finding.');
      return false;
    }
    const given = args.date !== undefined ? dateProblem(args.date) : undefined;
    if (given) {
      void vscode.window.showErrorMessage(`Pinning Audit: ${given}.`);
      return false;
    }
    const date = args.date ?? await vscode.window.showInputBox({
      title: 'New expiration date of the pin set',
      prompt: `Was ${args.current}. From this day on the pins are no longer checked: pick a date after the next release that ships rotated pins.`,
      placeHolder: 'YYYY-MM-DD',
      value: isoDay(new Date(Date.now() + 365 * DAY_MS)),
      ignoreFocusOut: true,
      validateInput: (value) => dateProblem(value.trim()),
    });
    if (date === undefined) return false;
    const uri = vscode.Uri.parse(args.uri);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!document || document.version !== args.version) {
      void vscode.window.showErrorMessage('Pinning Audit: the file changed meanwhile; run the quick fix again.');
      return false;
    }
    const edit = new vscode.WorkspaceEdit();
    const { start, end } = args.range;
    edit.replace(uri, new vscode.Range(start.line, start.character, end.line, end.character), date.trim());
    const applied = await vscode.workspace.applyEdit(edit);
    if (!applied) void vscode.window.showErrorMessage('Pinning Audit: the date could not be written.');
    return applied;
  });
}

/** Why `value` is not a future `YYYY-MM-DD` day, or undefined when it is one. */
function dateProblem(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'Enter a date as YYYY-MM-DD';
  const date = parseIsoDay(value);
  if (!date) return `${value} is not a day of the calendar`;
  if (date.getTime() <= Date.now()) return 'Pick a day in the future: from that day on the pins are not checked';
  return undefined;
}

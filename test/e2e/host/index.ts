// Entry of the e2e suite inside code-server's extension host (`extensionTestsPath`): the workbench
// calls run(), and ends the test session with a failure when it rejects.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { readHostConfig } from './run-config';

/** Run in this order: each suite leaves the workspace as it found it. */
const SUITES = ['diagnostics.e2e.js', 'edits.e2e.js', 'settings.e2e.js', 'quick-fixes.e2e.js', 'pins.e2e.js'];

export async function run(): Promise<void> {
  const { resultsFile } = readHostConfig();
  const write = (line: string) => fs.appendFileSync(resultsFile, `${line}\n`);
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: fileReporter(write) });
  for (const suite of SUITES) mocha.addFile(path.join(__dirname, suite));
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}

/** A mocha reporter that writes plain lines through `write` (the page console is best-effort only). */
function fileReporter(write: (line: string) => void): typeof Mocha.reporters.Base {
  return class FileReporter extends Mocha.reporters.Base {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
      super(runner, options);
      const started = Date.now();
      runner.on('pass', (test) => write(`  ok   ${test.fullTitle()} (${test.duration ?? 0} ms)`));
      runner.on('pending', (test) => write(`  skip ${test.fullTitle()}`));
      runner.on('fail', (test, error: Error) => write(`  FAIL ${test.fullTitle()}\n${indent(error.stack ?? error.message)}`));
      runner.once('end', () => {
        const { passes, failures, pending } = this.stats;
        write(`${passes} passing, ${failures} failing, ${pending} skipped (${Date.now() - started} ms)`);
      });
    }
  };
}

function indent(text: string): string {
  return text.split('\n').map((line) => `       ${line}`).join('\n');
}

import { format } from 'node:util';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { FrameRepairStream } from './frame-repair';

/**
 * The `--stdio` connection, reading through FrameRepairStream so one badly framed message cannot
 * leave the server deaf. Given streams, vscode-languageserver still exits when stdin ends, but no
 * longer redirects the console as it does for its own `--stdio`: done here, since a stray
 * `console.log` (the wasm runtime prints with it) would corrupt the protocol on stdout.
 */
export function createStdioConnection(): Connection {
  let connection: Connection | undefined;
  const input = new FrameRepairStream((reason) => connection?.console.warn(`Dropped ${reason}.`));
  process.stdin.pipe(input);
  connection = createConnection(ProposedFeatures.all, input, process.stdout);
  const log = connection.console;
  console.log = console.info = console.debug = (...args: unknown[]) => log.log(format(...args));
  console.warn = (...args: unknown[]) => log.warn(format(...args));
  console.error = (...args: unknown[]) => log.error(format(...args));
  return connection;
}

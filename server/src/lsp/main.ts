/**
 * Language server entry (bundled to dist/server.js). The transport comes from the command line:
 * `--stdio` for editors and tests, `--node-ipc` when vscode-languageclient starts it with TransportKind.ipc.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { createStdioConnection } from './stdio-connection';

startServer(process.argv.includes('--stdio') ? createStdioConnection() : createConnection(ProposedFeatures.all));

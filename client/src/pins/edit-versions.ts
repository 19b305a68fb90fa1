/** The version check a server edit must pass before the client applies it (pure, unit-tested). */
import { TextDocumentEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';

export interface EditorDocumentState {
  version: number;
  isDirty: boolean;
}

/**
 * URIs of documents that changed since the server computed the edit: a versioned edit whose
 * document now has another version (or was closed), or an edit computed from the file on disk
 * (version null) for a document now open with unsaved changes.
 */
export function staleDocuments(edit: WorkspaceEdit, documentState: (uri: string) => EditorDocumentState | undefined): string[] {
  const stale: string[] = [];
  for (const change of edit.documentChanges ?? []) {
    if (!TextDocumentEdit.is(change)) continue;
    const { uri, version } = change.textDocument;
    const current = documentState(uri);
    const changed = version === null ? current?.isDirty === true : current?.version !== version;
    if (changed) stale.push(uri);
  }
  return stale;
}

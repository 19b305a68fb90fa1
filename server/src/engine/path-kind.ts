import * as fs from 'node:fs';

/** Whether `p` is a folder (through links); false when it is not there or cannot be read. */
export function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // missing, a file on the way (ENOTDIR), a loop, no permission
  }
}

/** Whether `p` is a regular file (through links); false when it is not there or cannot be read. */
export function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

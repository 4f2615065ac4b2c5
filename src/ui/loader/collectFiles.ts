/**
 * Turns a drop or a file-input selection into a flat list of files with their folder-relative paths. Folders are
 * walked with the (non-standard but universally supported) `webkitGetAsEntry` API.
 */
import type { PickedFile } from './loadProtocol';

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    reader.readEntries(resolve, reject);
  });
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => {
    entry.file(resolve, reject);
  });
}

function isDirectory(entry: FileSystemEntry): entry is FileSystemDirectoryEntry {
  return entry.isDirectory;
}

function isFile(entry: FileSystemEntry): entry is FileSystemFileEntry {
  return entry.isFile;
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (isFile(entry)) {
    out.push({ file: await entryFile(entry), path: entry.fullPath.replace(/^\//, '') });
  } else if (isDirectory(entry)) {
    const reader = entry.createReader();
    // readEntries returns at most ~100 entries per call: keep asking until it returns none.
    for (;;) {
      const batch = await readEntries(reader);
      if (batch.length === 0) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

/** Must be called synchronously inside the drop handler: DataTransfer items expire after the event. */
export function collectDroppedFiles(dataTransfer: DataTransfer): Promise<PickedFile[]> {
  const entries: FileSystemEntry[] = [];
  const plainFiles: File[] = [];
  for (const item of Array.from(dataTransfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plainFiles.push(file);
    }
  }
  if (entries.length === 0 && plainFiles.length === 0) {
    plainFiles.push(...Array.from(dataTransfer.files));
  }
  return (async () => {
    const out: PickedFile[] = plainFiles.map((file) => ({ file, path: file.name }));
    for (const entry of entries) await walk(entry, out);
    return out;
  })();
}

export function collectInputFiles(list: FileList | null): PickedFile[] {
  return Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

import type { ExportFile } from '@/io/maskExport';

/** Saves bytes made in the page as a download (Blob + <a download>); nothing leaves the machine. */
export function saveFile(file: ExportFile): void {
  const blob = new Blob([file.bytes.slice().buffer], { type: file.mimeType });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

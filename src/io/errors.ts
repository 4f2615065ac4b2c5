/** An input problem the user can act on. `file` names the offending file when there is one. */
export class LoadError extends Error {
  readonly file: string | undefined;
  constructor(message: string, file?: string) {
    // Messages are best written as sentences that name the file ("DICOM file 12.dcm has no pixel
    // data"); only prefix the name when the sentence does not already contain it.
    super(file && !message.includes(file) ? `${file}: ${message}` : message);
    this.name = 'LoadError';
    this.file = file;
  }
}

// Typed errors of the image parser: a corrupt, truncated or foreign file is an ImageError with a
// stable kind, never a host exception.

export type ImageErrorKind =
  | "BadMagic" // not an image file
  | "UnsupportedVersion" // an image of another format version
  | "Truncated" // the file ends inside a field
  | "TrailingBytes" // bytes after the last section
  | "InvalidImage"; // a field is inconsistent (lengths, ranges, overlaps, bad UTF-8, …)

export class ImageError extends Error {
  readonly kind: ImageErrorKind;
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(kind: ImageErrorKind, message: string, offset?: number) {
    super(message);
    this.name = "ImageError";
    this.kind = kind;
    this.offset = offset;
  }

  toJSON(): { kind: ImageErrorKind; message: string; offset?: number } {
    return { kind: this.kind, message: this.message, ...(this.offset !== undefined ? { offset: this.offset } : {}) };
  }
}

export function isImageError(e: unknown): e is ImageError {
  return e instanceof ImageError;
}

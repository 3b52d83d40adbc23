/** Access to source text for code frames; renderers never read files themselves. */
export type SourceLookup = (file: string) => string | undefined;

/** Split text into lines without their terminators (\n or \r\n). */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

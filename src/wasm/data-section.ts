/**
 * The data section of a module, written by hand after binaryen has emitted the code.
 *
 * Weights are most of a module's bytes (26 MB for GoogLeNet against 54 KB of code). Passed
 * through binaryen they are copied into its heap, carried through validation and
 * optimisation, and copied out again by emitBinary: half a second and hundreds of MB of
 * memory for GoogLeNet, a second and over a GB for ResNet-50. binaryen never needs them (no
 * pass can assume memory is constant), so the module is built without them and the
 * segments are appended here.
 *
 * Linear memory starts zeroed, so long runs of zeros (tile padding of packed weights) are
 * left out of the segments, as binaryen's memory packing would do.
 */

/** An active segment of memory 0: `bytes` copied to `offset` at instantiation. */
export interface DataSegment {
  offset: number;
  bytes: Uint8Array;
}

/** A zero run at least this long ends a segment: cheaper than the ~13 bytes of a new segment header. */
const MIN_ZERO_RUN = 64;
/** Engines accept up to 100,000 data segments; stay far below by skipping only longer runs. */
const MAX_SEGMENTS = 4096;

/** Segments placing `data` at `offset`, leaving out zero runs of at least `minZeroRun` bytes. */
export function dataSegments(offset: number, data: Uint8Array, minZeroRun = MIN_ZERO_RUN): DataSegment[] {
  for (let run = minZeroRun; ; run *= 2) {
    const segments = splitAtZeroRuns(offset, data, run);
    if (segments.length <= MAX_SEGMENTS) return segments;
  }
}

/** Scans 32-bit words (a byte loop over 26 MB took a third of a second); boundaries fall on words. */
function splitAtZeroRuns(offset: number, data: Uint8Array, minZeroRun: number): DataSegment[] {
  const wordCount = Math.ceil(data.length / 4);
  let words: Uint32Array;
  if (data.byteOffset % 4 === 0 && data.length % 4 === 0) words = new Uint32Array(data.buffer, data.byteOffset, wordCount);
  else {
    const padded = new Uint8Array(wordCount * 4);
    padded.set(data);
    words = new Uint32Array(padded.buffer);
  }
  const minZeroWords = Math.max(1, Math.ceil(minZeroRun / 4));
  const segments: DataSegment[] = [];
  const push = (fromWord: number, toWord: number) => {
    const from = fromWord * 4;
    segments.push({ offset: offset + from, bytes: data.subarray(from, Math.min(toWord * 4, data.length)) });
  };
  let start = -1; // first word of the open segment
  let zeros = 0; // zero words just before i
  for (let i = 0; i < wordCount; i++) {
    if (words[i] === 0) {
      zeros++;
      continue;
    }
    if (start < 0) start = i;
    else if (zeros >= minZeroWords) {
      push(start, i - zeros);
      start = i;
    }
    zeros = 0;
  }
  if (start >= 0) push(start, wordCount - zeros);
  return segments;
}

// ---- binary ----

const SECTION_CODE = 10;
const SECTION_DATA = 11;
const SECTION_DATA_COUNT = 12;
const OP_I32_CONST = 0x41;
const OP_END = 0x0b;

function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function sleb32(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function readUleb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let p = at;
  for (;;) {
    if (p >= bytes.length || shift > 28) throw new Error('internal error: malformed LEB128 in the emitted module');
    const b = bytes[p++]!;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, next: p };
  }
}

interface Section {
  id: number;
  /** Payload, without id and size. */
  body: Uint8Array;
}

function readSections(wasm: Uint8Array): Section[] {
  const sections: Section[] = [];
  let p = 8; // magic and version
  while (p < wasm.length) {
    const id = wasm[p]!;
    const { value: size, next } = readUleb(wasm, p + 1);
    if (next + size > wasm.length) throw new Error('internal error: truncated section in the emitted module');
    sections.push({ id, body: wasm.subarray(next, next + size) });
    p = next + size;
  }
  return sections;
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> {
  const total = parts.reduce((s, x) => s + x.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const x of parts) {
    out.set(x, at);
    at += x.length;
  }
  return out;
}

/** Segment count and the encoded segments of an existing data section body. */
function splitDataBody(body: Uint8Array): { count: number; rest: Uint8Array } {
  const { value, next } = readUleb(body, 0);
  return { count: value, rest: body.subarray(next) };
}

/**
 * `wasm` (a complete module from binaryen) with `segments` added to its data section: a new
 * section after the code section, or appended to one binaryen wrote; a data count section, when
 * present, is updated to match.
 */
export function appendDataSegments(wasm: Uint8Array, segments: readonly DataSegment[]): Uint8Array<ArrayBuffer> {
  if (segments.length === 0) return concat([wasm]);
  const sections = readSections(wasm);
  const encoded: (Uint8Array | number[])[] = [];
  for (const s of segments) encoded.push([0x00, OP_I32_CONST, ...sleb32(s.offset), OP_END, ...uleb(s.bytes.length)], s.bytes);

  const existing = sections.find((s) => s.id === SECTION_DATA);
  const before = existing ? splitDataBody(existing.body) : { count: 0, rest: new Uint8Array() };
  const count = before.count + segments.length;
  const dataBody = [uleb(count), before.rest, ...encoded];
  const dataSize = dataBody.reduce((s, x) => s + x.length, 0);
  const dataSection = [[SECTION_DATA, ...uleb(dataSize)], ...dataBody];

  const parts: (Uint8Array | number[])[] = [wasm.subarray(0, 8)];
  let placed = false;
  for (const s of sections) {
    if (s.id === SECTION_DATA) {
      parts.push(...dataSection);
      placed = true;
      continue;
    }
    const body = s.id === SECTION_DATA_COUNT ? Uint8Array.from(uleb(count)) : s.body;
    parts.push([s.id, ...uleb(body.length)], body);
    // Without a data section yet, ours goes right after the code section (custom sections
    // that followed the code stay after the data).
    if (s.id === SECTION_CODE && !existing) {
      parts.push(...dataSection);
      placed = true;
    }
  }
  if (!placed) parts.push(...dataSection);
  return concat(parts);
}

// ---- text ----

/** A string literal in the text format, bytes escaped as binaryen prints them. */
function watString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\' + b.toString(16).padStart(2, '0');
  }
  return `"${s}"`;
}

/** `wat` (a module printed by binaryen) with `(data ...)` lines for `segments` before its closing parenthesis. */
export function appendDataSegmentsText(wat: string, segments: readonly DataSegment[]): string {
  if (segments.length === 0) return wat;
  const close = wat.lastIndexOf(')');
  if (close < 0) throw new Error('internal error: module text without a closing parenthesis');
  const lines = segments.map((s) => ` (data (i32.const ${s.offset}) ${watString(s.bytes)})\n`).join('');
  return wat.slice(0, close) + lines + wat.slice(close);
}

/** Name of the custom section holding the relaxed-SIMD code module (codegen.ts, loader.ts). */
export const RELAXED_SECTION = 'netc.relaxed';
/** The weights of a module built for threads (its shared memory is imported: no data segments). */
export const WEIGHTS_SECTION = 'netc.weights';

/** `wasm` with a custom section (id 0: a name, then any bytes) appended; engines ignore it. */
export function appendCustomSection(wasm: Uint8Array, name: string, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  const nameBytes = new TextEncoder().encode(name);
  const body = [...uleb(nameBytes.length), ...nameBytes];
  const header = [0, ...uleb(body.length + payload.length), ...body];
  const out = new Uint8Array(wasm.length + header.length + payload.length);
  out.set(wasm);
  out.set(header, wasm.length);
  out.set(payload, wasm.length + header.length);
  return out;
}

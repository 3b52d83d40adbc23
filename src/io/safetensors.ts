/**
 * safetensors: an 8-byte little-endian header length N, N bytes of JSON
 * (`{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`),
 * then the data region, offsets relative to its start.
 *
 * The reader validates the whole header against the file size before it allocates any tensor,
 * so a small malformed file can never make it allocate more than about twice its own size.
 * Floating-point tensors are read into float32; integer and boolean tensors (PyTorch's
 * `num_batches_tracked`) are checked and skipped.
 */
import type { Tensor } from '../ir/tensor.ts';
import { shapeToString } from '../ir/tensor.ts';
import { TensorFileError } from './errors.ts';
import { requireFileKind } from './file-kind.ts';
import { decodeFloats, MAX_TENSOR_ELEMENTS, type FloatKind } from './floatDecode.ts';

/** Largest header accepted; the reference implementation uses the same bound. */
export const MAX_HEADER_BYTES = 100_000_000;

const floatDtypes: Record<string, FloatKind> = { F16: 'f16', BF16: 'bf16', F32: 'f32', F64: 'f64' };

/** Element sizes of every dtype the format defines; the non-float ones are skipped on read. */
const dtypeBytes: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2,
  I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};

/** Known, but not float data netc reads: checked for consistency, then left out. */
const skippedDtypes = new Set(['I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8', 'BOOL']);

export interface ReadSafetensorsOptions {
  /** Called for each integer or boolean tensor that is left out of the result. */
  onSkipped?: (name: string, dtype: string) => void;
}

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Parse and validate a safetensors file; `source` names it in errors. */
export function readSafetensors(
  bytes: Uint8Array,
  source: string,
  options: ReadSafetensorsOptions = {},
): Map<string, Tensor> {
  const { entries, dataStart } = readHeader(bytes, source);
  const out = new Map<string, Tensor>();
  for (const e of entries) {
    const kind = floatDtypes[e.dtype];
    if (kind === undefined) {
      options.onSkipped?.(e.name, e.dtype);
      continue;
    }
    const count = e.shape.reduce((a, b) => a * b, 1);
    out.set(e.name, { shape: e.shape, data: decodeFloats(bytes, dataStart + e.begin, count, kind) });
  }
  return out;
}

/** The metadata map (`__metadata__`) of a safetensors file, validated like the rest of the header. */
export function readSafetensorsMetadata(bytes: Uint8Array, source: string): Record<string, string> {
  return readHeader(bytes, source).metadata;
}

function readHeader(
  bytes: Uint8Array,
  source: string,
): { entries: Entry[]; dataStart: number; metadata: Record<string, string> } {
  const file = source;
  requireFileKind(bytes, file, ['safetensors'], 'a safetensors file');
  if (bytes.length < 8) {
    throw new TensorFileError('NET3010', { file, detail: `${bytes.length} bytes is too short for the 8-byte header length` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > MAX_HEADER_BYTES) {
    throw new TensorFileError('NET3014', { file, detail: `header length ${headerLen} bytes`, limit: `${MAX_HEADER_BYTES} bytes` });
  }
  if (8 + headerLen > bytes.length) {
    throw new TensorFileError('NET3010', {
      file,
      detail: `the header needs ${headerLen} bytes after the length, the file has ${bytes.length - 8}`,
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    throw new TensorFileError('NET3011', { file, detail: 'header is not valid UTF-8' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TensorFileError('NET3011', { file, detail: 'header is not valid JSON' });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TensorFileError('NET3011', { file, detail: 'header is not a JSON object' });
  }
  const duplicate = firstDuplicateTopLevelKey(text);
  if (duplicate !== undefined) {
    throw new TensorFileError('NET3011', { file, detail: `tensor ${duplicate} is listed twice` });
  }

  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(raw, file);
      continue;
    }
    entries.push(checkEntry(name, raw, file, dataLen));
  }

  // Entries must not share bytes; sorting by start makes that one pass.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.begin < prev.end) {
      throw new TensorFileError('NET3013', {
        file,
        tensor: cur.name,
        detail: `data_offsets [${cur.begin}, ${cur.end}] overlap those of ${prev.name} [${prev.begin}, ${prev.end}]`,
      });
    }
  }
  return { entries, dataStart, metadata };
}

function checkMetadata(raw: unknown, file: string): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TensorFileError('NET3011', { file, detail: '__metadata__ is not an object of strings' });
  }
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v !== 'string') {
      throw new TensorFileError('NET3011', { file, detail: `__metadata__ entry ${k} is not a string` });
    }
  }
  return raw as Record<string, string>;
}

function checkEntry(name: string, raw: unknown, file: string, dataLen: number): Entry {
  const bad = (detail: string): TensorFileError => new TensorFileError('NET3013', { file, tensor: name, detail });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('entry is not an object');
  const r = raw as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') throw bad(`unknown field ${key}`);
  }
  const dtype = r['dtype'];
  if (typeof dtype !== 'string') throw bad('dtype is missing or not a string');
  const size = dtypeBytes[dtype];
  if (size === undefined || !(dtype in floatDtypes || skippedDtypes.has(dtype))) {
    throw new TensorFileError('NET3012', { file, tensor: name, dtype });
  }
  const shape = r['shape'];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count > MAX_TENSOR_ELEMENTS) {
      throw new TensorFileError('NET3014', {
        file,
        detail: `tensor ${name} of shape ${shapeToString(shape)}`,
        limit: `${MAX_TENSOR_ELEMENTS} elements`,
      });
    }
  }
  const offsets = r['data_offsets'];
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[1] < offsets[0]
  ) {
    throw bad(`data_offsets ${JSON.stringify(offsets)} is not a pair [begin, end] with 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataLen) {
    throw new TensorFileError('NET3010', {
      file,
      detail: `tensor ${name} ends at data offset ${end}, the data region has ${dataLen} bytes`,
    });
  }
  const need = count * size;
  if (end - begin !== need) {
    throw bad(`shape ${shapeToString(shape)} of ${dtype} needs ${need} bytes, data_offsets give ${end - begin}`);
  }
  return { name, dtype, shape: [...(shape as number[])], begin, end };
}

/**
 * The first key that appears twice at the top level of a JSON object text. JSON.parse keeps
 * the last silently; a weight file naming a tensor twice is ambiguous, so the reader rejects it.
 * The text is already known to be valid JSON.
 */
function firstDuplicateTopLevelKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1) {
        let k = j + 1;
        while (/\s/.test(text[k] ?? '')) k++;
        if (text[k] === ':') {
          const key = JSON.parse(text.slice(i, j + 1)) as string;
          if (seen.has(key)) return key;
          seen.add(key);
        }
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return undefined;
}

/**
 * Serialise float32 tensors (in the given order, contiguous, header padded with spaces to a
 * multiple of 8 bytes as the reference writer does).
 */
export function writeSafetensors(
  tensors: Map<string, Tensor> | Record<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, t] of list) {
    if (name === '__metadata__') throw new Error('writeSafetensors: __metadata__ is not a tensor name');
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [, t] of list) {
    for (let i = 0; i < t.data.length; i++, pos += 4) view.setFloat32(pos, t.data[i]!, true);
  }
  return out;
}

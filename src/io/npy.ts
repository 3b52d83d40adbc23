/**
 * NumPy .npy files: magic `\x93NUMPY`, version (1, 2 or 3), a little-endian header length
 * (2 bytes in version 1, 4 in 2 and 3), then a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }` and the raw data.
 *
 * Floating-point arrays (`f2`, `f4`, `f8`, either byte order) in C order are read into
 * float32. Everything is validated against the file size before the tensor is allocated.
 */
import type { Tensor } from '../ir/tensor.ts';
import { shapeToString } from '../ir/tensor.ts';
import { TensorFileError } from './errors.ts';
import { requireFileKind } from './file-kind.ts';
import { decodeFloats, floatKindBytes, MAX_TENSOR_ELEMENTS, type FloatKind } from './floatDecode.ts';
import { MAX_HEADER_BYTES } from './safetensors.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const descrKinds: Record<string, FloatKind> = { f2: 'f16', f4: 'f32', f8: 'f64' };

type PyValue = string | boolean | number | PyValue[];

export function readNpy(bytes: Uint8Array, source: string): Tensor {
  const file = source;
  if (bytes.length < 10) {
    throw new TensorFileError('NET3010', { file, detail: `${bytes.length} bytes is too short for an .npy preamble` });
  }
  if (!MAGIC.every((b, i) => bytes[i] === b)) {
    requireFileKind(bytes, file, ['npy'], 'an .npy array');
    throw new TensorFileError('NET3011', { file, detail: 'missing the \\x93NUMPY magic; not an .npy file' });
  }
  const major = bytes[6]!;
  if (major < 1 || major > 3) {
    throw new TensorFileError('NET3011', { file, detail: `unknown .npy format version ${major}.${bytes[7]}` });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) {
    throw new TensorFileError('NET3010', { file, detail: 'the header length is cut off' });
  }
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES) {
    throw new TensorFileError('NET3014', { file, detail: `header length ${headerLen} bytes`, limit: `${MAX_HEADER_BYTES} bytes` });
  }
  const headerStart = 8 + lenBytes;
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) {
    throw new TensorFileError('NET3010', {
      file,
      detail: `the header needs ${headerLen} bytes, the file has ${bytes.length - headerStart} after the preamble`,
    });
  }
  // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  const dict = parseHeaderDict(text, file);

  const descr = dict.get('descr');
  const fortran = dict.get('fortran_order');
  const shape = dict.get('shape');
  if (typeof descr !== 'string') throw new TensorFileError('NET3011', { file, detail: "header has no string 'descr'" });
  if (typeof fortran !== 'boolean') throw new TensorFileError('NET3011', { file, detail: "header has no boolean 'fortran_order'" });
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    throw new TensorFileError('NET3011', { file, detail: "header 'shape' is not a tuple of non-negative integers" });
  }
  const m = /^([<>|=])(f[248])$/.exec(descr);
  const kind = m ? descrKinds[m[2]!] : undefined;
  if (!m || kind === undefined || m[1] === '|') {
    throw new TensorFileError('NET3012', { file, tensor: 'array', dtype: descr });
  }
  if (fortran) {
    throw new TensorFileError('NET3015', { file, detail: 'fortran_order True is not supported; save the array in C order' });
  }
  const dims = shape as number[];
  let count = 1;
  for (const d of dims) {
    count *= d;
    if (count > MAX_TENSOR_ELEMENTS) {
      throw new TensorFileError('NET3014', { file, detail: `array of shape ${shapeToString(dims)}`, limit: `${MAX_TENSOR_ELEMENTS} elements` });
    }
  }
  const need = count * floatKindBytes[kind];
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new TensorFileError('NET3010', { file, detail: `array ${shapeToString(dims)} of ${descr} needs ${need} bytes of data, the file has ${have}` });
  }
  if (have > need) {
    throw new TensorFileError('NET3013', { file, tensor: 'array', detail: `${have - need} bytes follow the data of shape ${shapeToString(dims)}` });
  }
  // '=' is native order, which is little-endian on every platform netc runs on.
  const littleEndian = m[1] !== '>';
  return { shape: [...dims], data: decodeFloats(bytes, dataStart, count, kind, littleEndian) };
}

/** Write a float32 tensor as a version 1.0 .npy file (`<f4`, C order). */
export function writeNpy(t: Tensor): Uint8Array {
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // NumPy pads the header with spaces and a newline so the data starts 64-byte aligned.
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + t.data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let pos = 10 + header.length;
  for (let i = 0; i < t.data.length; i++, pos += 4) view.setFloat32(pos, t.data[i]!, true);
  return out;
}

/**
 * Parse the header: a Python dict literal whose keys are strings and whose values are
 * strings, True/False, integers or tuples of those. Only what np.save writes is accepted.
 */
function parseHeaderDict(text: string, file: string): Map<string, PyValue> {
  const fail = (why: string): never => {
    throw new TensorFileError('NET3011', { file, detail: `header dictionary ${why}` });
  };
  const tokens = text.match(/'[^']*'|"[^"]*"|[-+]?\d+|True|False|[{}():,\[\]]|\S+/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => tokens[pos++] ?? fail('ends early');
  const expect = (t: string): void => {
    const got = next();
    if (got !== t) fail(`expected ${t}, found ${got}`);
  };
  // np.save writes at most one level of tuple; the bound keeps hostile nesting off the stack.
  const value = (depth = 0): PyValue => {
    const t = next();
    if (t === 'True') return true;
    if (t === 'False') return false;
    if (/^['"]/.test(t)) return t.slice(1, -1);
    if (/^[-+]?\d+$/.test(t)) return Number(t);
    if (t === '(' || t === '[') {
      if (depth >= 2) fail('nests tuples too deeply');
      const close = t === '(' ? ')' : ']';
      const items: PyValue[] = [];
      while (peek() !== close) {
        items.push(value(depth + 1));
        if (peek() === ',') next();
        else if (peek() !== close) fail(`expected , or ${close} in a tuple`);
      }
      next();
      return items;
    }
    return fail(`has an unexpected ${t}`);
  };
  expect('{');
  const dict = new Map<string, PyValue>();
  while (peek() !== '}') {
    const key = value();
    if (typeof key !== 'string') fail('has a key that is not a string');
    expect(':');
    dict.set(key as string, value());
    if (peek() === ',') next();
    else if (peek() !== '}') fail('expected , or }');
  }
  next();
  if (pos !== tokens.length) fail('has text after the closing }');
  return dict;
}

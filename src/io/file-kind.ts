/**
 * What kind of file a byte string is, from its first bytes: an `.npy` array, a safetensors
 * file, an ONNX model or a `.net` source. Readers use it to say "this is an .npy file, not
 * safetensors" instead of failing on a header that was never meant for them.
 */
import { TensorFileError } from './errors.ts';

export type FileKind = 'npy' | 'safetensors' | 'onnx' | 'net' | 'text' | 'unknown';

const DESCRIPTION: Record<FileKind, string> = {
  npy: 'an .npy array',
  safetensors: 'a safetensors file',
  onnx: 'an ONNX model',
  net: 'a .net source',
  text: 'a text file',
  unknown: 'a file of unknown kind',
};

export function describeFileKind(kind: FileKind): string {
  return DESCRIPTION[kind];
}

/** `\x93NUMPY`, the first bytes of every `.npy` file. */
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * Protobuf tags that can follow `ir_version` (field 1) at the start of an ONNX ModelProto:
 * producer name and version, domain, model version, doc string, graph, opset imports,
 * metadata, training info, functions.
 */
const ONNX_SECOND_TAGS = new Set([0x12, 0x1a, 0x22, 0x28, 0x32, 0x3a, 0x42, 0x72, 0xa2, 0xca]);

/** Keywords one of which every `.net` file that defines anything contains. */
const NET_WORDS = /(^|[^\w])(network|block|import|const)\s/;

export function sniffFileKind(bytes: Uint8Array): FileKind {
  if (bytes.length >= NPY_MAGIC.length && NPY_MAGIC.every((b, i) => bytes[i] === b)) return 'npy';
  if (bytes.length >= 10 && bytes[8] === 0x7b) {
    // safetensors: an 8-byte little-endian header length, then the JSON header `{...`.
    const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
    const headerLength = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
    if (headerLength >= 2 && headerLength <= bytes.length - 8) return 'safetensors';
  }
  // ONNX: field 1 (ir_version, a small varint) comes first in every exporter's output.
  if (bytes.length >= 3 && bytes[0] === 0x08 && bytes[1]! >= 1 && bytes[1]! < 0x40 && ONNX_SECOND_TAGS.has(bytes[2]!)) return 'onnx';
  const head = bytes.subarray(0, 4096);
  // Text: no control characters but tab, line feed, form feed and carriage return.
  if (head.length > 0 && head.every((b) => b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(head);
    } catch {
      // A multi-byte character cut at the 4096th byte is still text.
      text = new TextDecoder('utf-8').decode(head);
      if ((text.match(/\uFFFD/g)?.length ?? 0) > 1) return 'unknown';
    }
    return NET_WORDS.test(text) ? 'net' : 'text';
  }
  return 'unknown';
}

/**
 * Throws NET3016 when `bytes` is recognisably another kind of file than `expected` (one of
 * them); a file of unknown kind passes, for the reader to report what is wrong with it.
 */
export function requireFileKind(bytes: Uint8Array, file: string, expected: FileKind[], expectedText: string): FileKind {
  const kind = sniffFileKind(bytes);
  if (kind === 'unknown' || expected.includes(kind)) return kind;
  // A text file where a .net source is expected is a .net source with mistakes the parser reports.
  if (kind === 'text' && expected.includes('net')) return 'net';
  throw new TensorFileError('NET3016', { file, kind: describeFileKind(kind), expected: expectedText });
}

/**
 * Files dropped on the page: an ONNX model becomes `.net` source (and its weights are kept for
 * builds), a safetensors file becomes the weights of later builds; and the edited network goes
 * back out as ONNX. The ONNX code is a chunk loaded on first use.
 */
import { exportOnnx, importOnnx } from '../../../src/index.ts';
import { readSafetensors } from '../../../src/io/safetensors.ts';
import { isTensorFileError } from '../../../src/io/errors.ts';
import type { Responses, SourceRequest } from '../protocol.ts';
import { diagItems } from './diagnostics.ts';
import { givenWeights, setWeights } from './front.ts';

const noSources = (): undefined => undefined;

export async function importModel(name: string, bytes: Uint8Array): Promise<Responses['importOnnx']> {
  const r = await importOnnx(bytes, { file: name });
  if (r.source !== undefined && r.weights) setWeights({ name, tensors: r.weights });
  return { source: r.source, diagnostics: diagItems(r.diagnostics, name, noSources) };
}

export function loadWeights(name: string, bytes: Uint8Array): Responses['weights'] {
  if (bytes.length === 0) {
    setWeights(undefined);
    return { tensors: 0, diagnostics: [] };
  }
  try {
    const tensors = readSafetensors(bytes, name);
    setWeights({ name, tensors });
    return { tensors: tensors.size, diagnostics: [] };
  } catch (e) {
    if (isTensorFileError(e)) return { tensors: 0, diagnostics: diagItems([e.toDiagnostic()], name, noSources) };
    throw e;
  }
}

export async function exportModel(req: SourceRequest): Promise<Responses['exportOnnx']> {
  const given = givenWeights();
  const r = await exportOnnx(req.text, { file: req.file, entry: req.entry || undefined, bindings: req.bindings, ...(given ? { weights: given.tensors } : { randomWeights: 0 }) });
  const sources = (p: string): string | undefined => (p === req.file ? req.text : undefined);
  return { onnx: r.onnx, diagnostics: diagItems(r.diagnostics, req.file, sources) };
}

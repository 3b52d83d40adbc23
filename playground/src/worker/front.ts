/**
 * The front end (src/frontend/) on the edited source, with the weights the user gave: the
 * tensors of a dropped .safetensors file or of an imported ONNX model, else seeded random
 * weights (summaries and pictures only need their shapes).
 */
import { memoryHost } from '../../../src/check/host.ts';
import { runFrontend, type FrontendResult, type FrontendStage } from '../../../src/frontend/frontend.ts';
import type { WeightStore } from '../../../src/ir/graph.ts';
import type { SourceRequest } from '../protocol.ts';

let given: { name: string; tensors: WeightStore } | undefined;

/** Weights for every later build (undefined: random weights again). */
export function setWeights(w: { name: string; tensors: WeightStore } | undefined): void {
  given = w;
}

export function givenWeights(): { name: string; tensors: WeightStore } | undefined {
  return given;
}

export function front(req: SourceRequest, until: FrontendStage, seed = 0): FrontendResult {
  return runFrontend({
    file: req.file,
    host: memoryHost({ [req.file]: req.text }),
    until,
    entry: req.entry || undefined,
    bindings: new Map(Object.entries(req.bindings)),
    weights: () => (given ? { tensors: given.tensors, file: given.name } : { seed }),
  });
}

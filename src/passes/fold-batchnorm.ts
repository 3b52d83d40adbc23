/**
 * Batch-norm folding. Inference batch norm is a per-channel affine map
 *   y = x * s + t,   s = gamma / sqrt(var + eps),   t = beta - mean * s,
 * so it folds exactly (up to float rounding) into a neighbouring linear layer:
 *
 * - after a layer whose output only the batch norm reads (and that has no epilogue yet) and
 *   whose table entry can scale its output channels (conv, conv_transpose, linear on
 *   [N, features]): scale the weights along the output-channel axis and set
 *   bias' = bias * s + t;
 * - before a 1x1 conv with no padding and groups = 1 that is the batch norm's only reader,
 *   with no nonlinearity between: W'[o, i] = W[o, i] * s[i], bias'[o] = bias[o] + sum_i W[o, i] * t[i].
 *   (With padding the border would see 0 instead of t, so that case is left alone.)
 */
import type { Graph, Node, NodeOf, ParamRef, WeightStore } from '../ir/graph.ts';
import { opByName } from '../ops/registry.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, compact, isUnpaddedPointwiseConv, replaceUses, soleUser, usersOf } from './rewrite.ts';

/** Per-channel scale and shift of an inference batch norm, in float64. */
export function batchNormAffine(bn: NodeOf<'batchnorm'>, weights: WeightStore): { scale: Float64Array; shift: Float64Array } {
  const get = (role: string): Float32Array => {
    const ref = bn.params[role];
    const t = ref && weights.get(ref.name);
    if (!t) throw new Error(`fold-batchnorm: weight ${ref?.name ?? `${bn.name}.${role}`} is missing`);
    return t.data;
  };
  const gamma = get('weight');
  const beta = get('bias');
  const mean = get('running_mean');
  const variance = get('running_var');
  const eps = bn.attrs.eps;
  const c = gamma.length;
  const scale = new Float64Array(c);
  const shift = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    scale[i] = gamma[i]! / Math.sqrt(variance[i]! + eps);
    shift[i] = beta[i]! - mean[i]! * scale[i]!;
  }
  return { scale, shift };
}

function biasRef(node: Node, channels: number): ParamRef {
  return node.params.bias ?? { name: `${node.name}.bias`, shape: [channels], trainable: true };
}

/**
 * Fold into the producer: scale output channels of the weight (the operator table's
 * `scaleOutputChannels`), fold the shift into the bias. False, with nothing changed, when the
 * producer's output channels are not where batch norm's are.
 */
function foldIntoProducer(graph: Graph, producer: Node, bn: NodeOf<'batchnorm'>, weights: WeightStore, next: WeightStore): boolean {
  const scaleOutputChannels = opByName(producer.op).scaleOutputChannels;
  if (!scaleOutputChannels) return false;
  const { scale, shift } = batchNormAffine(bn, weights);
  const w = next.get(producer.params.weight!.name)!;
  const data = scaleOutputChannels(producer.attrs, w, scale, graph.values[producer.outputs[0]!]!.shape);
  if (!data) return false;
  const c = scale.length;
  next.set(producer.params.weight!.name, { shape: [...w.shape], data });
  const bref = biasRef(producer, c);
  const oldBias = producer.params.bias ? next.get(producer.params.bias.name)!.data : new Float32Array(c);
  const bias = new Float32Array(c);
  for (let o = 0; o < c; o++) bias[o] = oldBias[o]! * scale[o]! + shift[o]!;
  next.set(bref.name, { shape: [c], data: bias });
  producer.params = { ...producer.params, bias: bref };
  producer.attrs = { ...producer.attrs, bias: true };
  return true;
}

/** Fold into a following 1x1 conv: scale its input channels, fold the shift into its bias. */
function foldIntoConsumer(conv: Node, bn: NodeOf<'batchnorm'>, weights: WeightStore, next: WeightStore): void {
  const { scale, shift } = batchNormAffine(bn, weights);
  const w = next.get(conv.params.weight!.name)!;
  const cout = w.shape[0]!;
  const cin = w.shape[1]!;
  const data = new Float32Array(w.data.length);
  const oldBias = conv.params.bias ? next.get(conv.params.bias.name)!.data : new Float32Array(cout);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    let acc = oldBias[o]!;
    for (let i = 0; i < cin; i++) {
      const wv = w.data[o * cin + i]!;
      data[o * cin + i] = wv * scale[i]!;
      acc += wv * shift[i]!;
    }
    bias[o] = acc;
  }
  const bref = biasRef(conv, cout);
  next.set(conv.params.weight!.name, { shape: [...w.shape], data });
  next.set(bref.name, { shape: [cout], data: bias });
  conv.params = { ...conv.params, bias: bref };
  conv.attrs = { ...conv.attrs, bias: true };
}

function isPlain1x1(n: Node): boolean {
  return isUnpaddedPointwiseConv(n) && !n.attrs.epilogue;
}

export const foldBatchNorm: Pass = {
  name: 'fold-batchnorm',
  doc: 'fold inference batch norms into the conv, transposed conv or linear before them (or a 1x1 conv after them)',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    const graph = cloneGraph(input);
    const next: WeightStore = new Map(weights);
    const users = usersOf(graph);
    const removed = new Set<number>();
    let intoProducer = 0;
    let intoConsumer = 0;
    for (const bn of graph.nodes) {
      if (bn.op !== 'batchnorm') continue;
      const x = bn.inputs[0]!;
      const producerId = graph.values[x]!.producer;
      const producer = producerId === undefined ? undefined : graph.nodes[producerId];
      const canProducer =
        producer !== undefined &&
        !removed.has(producer.id) &&
        !producer.attrs.epilogue &&
        producer.params.weight !== undefined &&
        soleUser(graph, users, x) === bn;
      if (canProducer && foldIntoProducer(graph, producer, bn, weights, next)) {
        replaceUses(graph, bn.outputs[0]!, x);
        removed.add(bn.id);
        intoProducer++;
        continue;
      }
      const consumer = soleUser(graph, users, bn.outputs[0]!);
      if (consumer && isPlain1x1(consumer) && consumer.inputs[0] === bn.outputs[0] && consumer.params.weight) {
        foldIntoConsumer(consumer, bn, weights, next);
        replaceUses(graph, bn.outputs[0]!, x);
        removed.add(bn.id);
        intoConsumer++;
      }
    }
    const total = intoProducer + intoConsumer;
    if (total) {
      log.add(
        'fold-batchnorm',
        `folded ${total} batch norm${total === 1 ? '' : 's'}` +
          (intoConsumer ? ` (${intoProducer} into the layer before, ${intoConsumer} into a following 1x1 conv)` : ' into the layer before'),
      );
    }
    // Folded batch norms' own tensors are no longer read by any node.
    const out = compact(graph, (n) => !removed.has(n.id));
    const stillUsed = new Set<string>();
    for (const n of out.nodes) for (const p of Object.values(n.params)) stillUsed.add(p.name);
    for (const bn of graph.nodes) {
      if (!removed.has(bn.id)) continue;
      for (const p of Object.values(bn.params)) if (!stillUsed.has(p.name)) next.delete(p.name);
    }
    return { graph: out, weights: next };
  },
};

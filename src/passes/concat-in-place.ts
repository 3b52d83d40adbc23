/**
 * In-place concat: the producers of a concat's operands write straight into their channel
 * slice of its output, so no copy remains. Channel slices of a fused 1x1 conv (see
 * fuse-1x1-horizontal.ts) become views of its output the same way.
 *
 * An operand is written in place when: the concat is along channels and its output has batch
 * 1 (slices are then contiguous); the operand is computed by a node in this graph (not a graph
 * input), read by nothing but this concat (once), is not a graph output, and its placement is
 * consistent with the views already decided (the alias groups agree on its offset). Operands
 * that fail stay separate and the concat copies just those.
 */
import type { Graph, WeightStore } from '../ir/graph.ts';
import { channelBytes, channelsContiguous, channelViewStart, newAliasGroups } from './aliases.ts';
import type { ExplainLog, Pass, PassResult } from './pass.ts';
import { cloneGraph, isGraphOutput, usersOf } from './rewrite.ts';

export const concatInPlace: Pass = {
  name: 'concat-in-place',
  doc: 'let concat operands and channel slices be written in place (no copies)',
  run(input: Graph, weights: WeightStore, log: ExplainLog): PassResult {
    // Decided afresh each run: earlier views are dropped (in-place marks of plan-memory too,
    // since they depend on these views).
    const graph = cloneGraph(input);
    const users = usersOf(graph);
    const groups = newAliasGroups(graph.values.length);
    let slices = 0;
    for (const n of graph.nodes) {
      const start = channelViewStart(n);
      if (start === undefined) continue;
      const x = n.inputs[0]!;
      if (!channelsContiguous(graph.values[x]!.shape)) continue;
      if (groups.alias(n.outputs[0]!, x, start * channelBytes(graph, x))) {
        n.attrs = { ...n.attrs, view: true };
        slices++;
      }
    }
    let concats = 0;
    let inPlaceOperands = 0;
    let copiedOperands = 0;
    for (const n of graph.nodes) {
      if (n.op !== 'concat' || n.attrs.axis !== 1) continue;
      const out = n.outputs[0]!;
      const outShape = graph.values[out]!.shape;
      if (!channelsContiguous(outShape)) continue;
      const inPlace: boolean[] = [];
      let channel = 0;
      for (const v of n.inputs) {
        const value = graph.values[v]!;
        const producer = value.producer === undefined ? undefined : graph.nodes[value.producer];
        const readers = users.get(v) ?? [];
        const ok =
          producer !== undefined &&
          !producer.attrs.outputView &&
          readers.length === 1 &&
          !isGraphOutput(graph, v) &&
          n.inputs.filter((u) => u === v).length === 1 &&
          groups.alias(v, out, channel * channelBytes(graph, out));
        if (ok) {
          producer!.attrs = { ...producer!.attrs, outputView: { value: out, channelOffset: channel } };
          inPlaceOperands++;
        } else {
          copiedOperands++;
        }
        inPlace.push(ok);
        channel += value.shape[1]!;
      }
      n.attrs = { ...n.attrs, operandsInPlace: inPlace };
      if (inPlace.every(Boolean)) concats++;
    }
    if (slices) log.add('concat-in-place', `${slices} channel slice${slices === 1 ? '' : 's'} of fused convs made views (no copy)`);
    if (inPlaceOperands || copiedOperands) {
      log.add(
        'concat-in-place',
        `${inPlaceOperands} concat operand${inPlaceOperands === 1 ? '' : 's'} written in place; ${concats} concat${concats === 1 ? '' : 's'} with no copy at all; ${copiedOperands} operand${copiedOperands === 1 ? '' : 's'} still copied`,
      );
    }
    return { graph, weights };
  },
};

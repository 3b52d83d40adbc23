/**
 * `channel_shuffle` (torch.nn.functional.channel_shuffle, ShuffleNet): the channels viewed as
 * [groups, C/groups] and transposed, so output channel j*groups + i is input channel
 * i*(C/groups) + j. Exporters write it as Reshape -> Transpose -> Reshape, which the ONNX
 * import recognises (io/onnx/importSpatial.ts).
 */
import { constValue, dimFloorDiv, dimMul, dimToString, type Dim } from '../../ir/dim/dim.ts';
import { intArg } from '../def-helpers.ts';
import type { OpDef } from '../types.ts';

export interface ChannelShuffleAttrs {
  groups: number;
}

declare module '../../ir/op-attrs.ts' {
  interface OpAttrsByName { channel_shuffle: ChannelShuffleAttrs }
}

export const channelShuffleDef: Omit<OpDef<'channel_shuffle'>, 'interp'> = {
  name: 'channel_shuffle',
  spellings: [{ name: 'channel_shuffle' }],
  doc: 'Interleaves the channels of `groups` groups (torch.nn.functional.channel_shuffle).',
  inputs: { min: 1, max: 1 },
  args: [{ name: 'groups', type: 'int', doc: 'Number of channel groups; must divide the channels.' }],
  attrs(args, _inputs, ctx) {
    const groups = intArg(ctx, 'groups', args.groups, { min: 1, reason: 'there must be at least one group' });
    return groups === undefined ? undefined : { groups };
  },
  call: (a) => ({ callee: 'channel_shuffle', args: [{ value: { type: 'int', v: a.groups } }] }),
  shape(a, inputs, ctx) {
    const x = inputs[0]!;
    if (x.length < 2) {
      ctx.report('NET2004', { op: ctx.spelledAs, expected: 'an input [N, C, ...]', got: x.length, shape: `[${x.map(dimToString).join(', ')}]` }, { input: 0 });
      return undefined;
    }
    const channels = x[1]!;
    const c = constValue(channels);
    const ok = c !== undefined ? c % a.groups === 0 : ctx.sameDim(dimMul(dimFloorDiv(channels, a.groups), a.groups), channels);
    if (!ok) {
      ctx.report('NET2005', { what: 'in', count: c ?? dimToString(channels), groups: a.groups }, { at: 'groups', input: 0 });
      return undefined;
    }
    return [...x] as Dim[];
  },
  macs: () => 0,
};

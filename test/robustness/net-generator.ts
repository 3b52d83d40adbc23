/**
 * A generator of random valid networks for property tests: a sequence of layers drawn from
 * every operator of the language, with arguments chosen valid for the running shape, written
 * as `.net` source. Alongside the source it computes every value's shape with PyTorch's own
 * formulas: an oracle independent of the checker's shape rules and the interpreter.
 */
import fc from 'fast-check';

/** One layer choice: an operator and raw random numbers that `apply` turns into valid arguments. */
export interface LayerChoice {
  op: (typeof OPERATORS)[number];
  r: number[];
}

export const OPERATORS = [
  'conv', 'convNd', 'conv_grouped', 'conv_transpose', 'maxpool', 'avgpool', 'adaptive_avgpool', 'adaptive_maxpool',
  'global_avgpool', 'global_maxpool', 'batchnorm', 'relu', 'relu6', 'sigmoid', 'tanh', 'clip', 'leaky_relu',
  'softmax', 'add', 'mul', 'concat', 'flatten_linear', 'dropout', 'identity', 'upsample',
] as const;

export interface NetSpec {
  /** Spatial rank 1, 2 or 3. */
  rank: number;
  batch: number;
  channels: number;
  spatial: number[];
  /** Write the batch and spatial sizes as symbols bound at concretize time. */
  symbolic: boolean;
  layers: LayerChoice[];
}

export interface GeneratedNet {
  source: string;
  bindings: Map<string, number>;
  inputShape: number[];
  /** Expected shape of every named value (`v1`, `v2`, ...; `y` the output). */
  shapes: Map<string, number[]>;
  /** Operators actually used, for coverage. */
  used: string[];
}

const pick = <T>(r: number, items: readonly T[]): T => items[Math.floor(r * items.length) % items.length]!;
const int = (r: number, lo: number, hi: number): number => lo + (Math.floor(r * (hi - lo + 1)) % (hi - lo + 1));

export function netSpecArbitrary(maxLayers = 5): fc.Arbitrary<NetSpec> {
  return fc.integer({ min: 1, max: 3 }).chain((rank) =>
    fc.record({
      rank: fc.constant(rank),
      batch: fc.integer({ min: 1, max: 2 }),
      channels: fc.integer({ min: 1, max: 4 }),
      spatial: fc.array(fc.integer({ min: 1, max: rank === 3 ? 5 : 9 }), { minLength: rank, maxLength: rank }),
      symbolic: fc.boolean(),
      layers: fc.array(
        fc.record({ op: fc.constantFrom(...OPERATORS), r: fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { minLength: 8, maxLength: 8 }) }),
        { minLength: 1, maxLength: maxLayers },
      ),
    }));
}

/** floor/ceil pooling and convolution output size, PyTorch's formula. */
function windowOut(size: number, k: number, stride: number, pad: number, dilation: number, ceil = false): number {
  const span = size + 2 * pad - dilation * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // PyTorch: the last window must start inside the input or the left padding.
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** The network's source and expected shapes. Layers that cannot apply to the running shape are skipped. */
export function generateNet(spec: NetSpec): GeneratedNet {
  const { rank } = spec;
  const spatialNames = ['W', 'H', 'D'].slice(0, rank).reverse();
  const inputShape = [spec.batch, spec.channels, ...spec.spatial];
  const bindings = new Map<string, number>();
  const dimText = spec.symbolic
    ? ['N', String(spec.channels), ...spatialNames]
    : inputShape.map(String);
  if (spec.symbolic) {
    bindings.set('N', spec.batch);
    spatialNames.forEach((n, i) => bindings.set(n, spec.spatial[i]!));
  }
  const lines: string[] = [];
  const shapes = new Map<string, number[]>();
  const used: string[] = [];
  let cur = 'x';
  let shape = inputShape;
  shapes.set('x', shape);
  let count = 0;
  const emit = (expr: string, out: number[], op: string) => {
    count++;
    const name = `v${count}`;
    lines.push(`  ${name} = ${expr}`);
    shapes.set(name, out);
    used.push(op);
    cur = name;
    shape = out;
  };

  for (const { op, r } of spec.layers) {
    const flat = shape.length === 2;
    const [n, c] = shape as [number, number];
    const sp = shape.slice(2);
    const spatialOnly = !flat;
    switch (op) {
      case 'conv':
      case 'convNd':
      case 'conv_grouped': {
        if (!spatialOnly) break;
        const grouped = op === 'conv_grouped';
        const groups = grouped ? c : 1;
        const out = grouped ? c * int(r[0]!, 1, 2) : int(r[0]!, 1, 4);
        let k = int(r[1]!, 1, 3);
        const stride = int(r[2]!, 1, 2);
        let pad = int(r[3]!, 0, 1);
        let dilation = int(r[4]!, 1, 2);
        if (sp.some((s) => s + 2 * pad < dilation * (k - 1) + 1)) [k, dilation, pad] = [1, 1, 0];
        const bias = r[5]! < 0.7;
        const name = op === 'convNd' ? `conv${rank}d` : 'conv';
        const outShape = [n, out, ...sp.map((s) => windowOut(s, k, stride, pad, dilation))];
        emit(`${cur} |> ${name}(${out}, k=${k}, stride=${stride}, pad=${pad}, dilation=${dilation}, groups=${groups}, bias=${bias})`, outShape, name);
        break;
      }
      case 'conv_transpose': {
        if (!spatialOnly) break;
        const out = int(r[0]!, 1, 4);
        const k = int(r[1]!, 1, 3);
        const stride = int(r[2]!, 1, 2);
        const dilation = int(r[4]!, 1, 2);
        const pad = Math.min(int(r[3]!, 0, 1), Math.floor((dilation * (k - 1)) / 2));
        const outputPad = int(r[5]!, 0, Math.max(stride, dilation) - 1);
        const outShape = [n, out, ...sp.map((s) => (s - 1) * stride - 2 * pad + dilation * (k - 1) + outputPad + 1)];
        if (outShape.some((s) => s < 1)) break;
        const name = rank === 1 ? 'conv_transpose' : `conv_transpose${rank}d`;
        emit(`${cur} |> ${name}(${out}, k=${k}, stride=${stride}, pad=${pad}, output_pad=${outputPad}, dilation=${dilation})`, outShape, 'conv_transpose');
        break;
      }
      case 'maxpool':
      case 'avgpool': {
        if (!spatialOnly) break;
        const k = Math.min(int(r[0]!, 1, 3), ...sp);
        const stride = int(r[1]!, 1, 2);
        const pad = int(r[2]!, 0, Math.floor(k / 2));
        const ceil = r[3]! < 0.3;
        const outShape = [n, c, ...sp.map((s) => windowOut(s, k, stride, pad, 1, ceil))];
        if (outShape.some((s) => s < 1)) break;
        const extra = op === 'avgpool' ? `, count_include_pad=${r[4]! < 0.5}` : '';
        emit(`${cur} |> ${op}(k=${k}, stride=${stride}, pad=${pad}, ceil=${ceil}${extra})`, outShape, op);
        break;
      }
      case 'adaptive_avgpool':
      case 'adaptive_maxpool': {
        if (!spatialOnly) break;
        const size = sp.map((s, i) => int(r[i]!, 1, Math.max(1, s)));
        const arg = rank === 1 ? String(size[0]) : `(${size.join(', ')})`;
        emit(`${cur} |> ${op}(size=${arg})`, [n, c, ...size], op);
        break;
      }
      case 'global_avgpool':
      case 'global_maxpool':
        if (!spatialOnly) break;
        emit(`${cur} |> ${op}`, [n, c, ...sp.map(() => 1)], op);
        break;
      case 'batchnorm':
        emit(`${cur} |> ${r[0]! < 0.5 ? 'bn' : 'batchnorm'}(eps=1e-3)`, shape, 'batchnorm');
        break;
      case 'relu': case 'relu6': case 'sigmoid': case 'tanh': case 'identity':
        emit(`${cur} |> ${op}`, shape, op);
        break;
      case 'clip':
        emit(`${cur} |> clip(min=-0.5, max=0.75)`, shape, op);
        break;
      case 'leaky_relu':
        emit(`${cur} |> leaky_relu(slope=0.2)`, shape, op);
        break;
      case 'dropout':
        emit(`${cur} |> dropout(p=0.3)`, shape, op);
        break;
      case 'softmax':
        emit(`${cur} |> softmax(axis=${int(r[0]!, 1, shape.length - 1)})`, shape, op);
        break;
      case 'add':
      case 'mul': {
        // With an earlier value of the same shape (or itself).
        const same = [...shapes].filter(([, s]) => s.join() === shape.join()).map(([k]) => k);
        const other = pick(r[0]!, same);
        emit(op === 'add' ? `${cur} + ${other}` : `${cur} * ${other}`, shape, op);
        break;
      }
      case 'concat': {
        const axis = int(r[1]!, 1, shape.length - 1);
        const fits = [...shapes].filter(([, s]) => s.length === shape.length && s.every((d, i) => i === axis || d === shape[i])).map(([k]) => k);
        const other = pick(r[0]!, fits);
        const out = [...shape];
        out[axis] = shape[axis]! + shapes.get(other)![axis]!;
        emit(`concat(${cur}, ${other}, axis=${axis})`, out, op);
        break;
      }
      case 'flatten_linear': {
        const features = shape.slice(1).reduce((a, b) => a * b, 1);
        if (features > 2048) break;
        const out = int(r[0]!, 1, 8);
        if (!flat) emit(`${cur} |> flatten`, [n, features], 'flatten');
        emit(`${cur} |> linear(${out}, bias=${r[1]! < 0.7})`, [n, out], 'linear');
        break;
      }
      case 'upsample': {
        if (!spatialOnly) break;
        const modes = rank === 2 ? ['nearest', 'bilinear'] : rank === 3 ? ['nearest', 'trilinear'] : ['nearest'];
        const mode = pick(r[0]!, modes);
        const align = mode !== 'nearest' && r[1]! < 0.5 ? ', align_corners=true' : '';
        if (r[2]! < 0.5) {
          const scale = int(r[3]!, 1, 2);
          emit(`${cur} |> upsample(scale=${scale}, mode="${mode}"${align})`, [n, c, ...sp.map((s) => s * scale)], 'upsample');
        } else {
          const size = sp.map((s, i) => int(r[4 + i]!, 1, 2 * s));
          const arg = rank === 1 ? String(size[0]) : `(${size.join(', ')})`;
          emit(`${cur} |> upsample(size=${arg}, mode="${mode}"${align})`, [n, c, ...size], 'upsample');
        }
        break;
      }
    }
  }
  if (count === 0) emit(`${cur} |> relu`, shape, 'relu');
  const source = `network G {\n  in x: [${dimText.join(', ')}]\n${lines.join('\n')}\n  out y = ${cur}\n}\n`;
  shapes.set('y', shape);
  return { source, bindings, inputShape, shapes, used };
}

/**
 * Resize (opset 11+) and the legacy Upsample -> `upsample`: PyTorch's nearest (asymmetric
 * coordinates, floor) and linear modes (half-pixel or align-corners coordinates), from
 * `scales` (PyTorch's scale_factor: coordinates map by 1/scale) or `sizes`.
 */
import type { UpsampleAttrs } from '../../ops/attrs.ts';
import type { NodeContext } from './importContext.ts';
import { checkSizes, fill, rankOf, show, type Handler } from './importShapes.ts';

/** Resize (opset 11+) and the legacy Upsample: PyTorch's nearest (floor) and (bi/tri)linear. */
export function resize(legacy: boolean): Handler {
  return (ctx) => {
    const xs = ctx.shape(0);
    const rank = rankOf(ctx, xs);
    const mode = ctx.attrString('mode', 'nearest');
    let alignCorners = false;
    if (legacy) {
      // Upsample maps coordinates asymmetrically: nearest is PyTorch's; linear is not.
      if (mode !== 'nearest') ctx.reject(`Upsample mode ${mode} maps coordinates asymmetrically, unlike PyTorch; only nearest is supported`);
    } else {
      const ctm = ctx.attrString('coordinate_transformation_mode', 'half_pixel');
      if (ctx.attrInt('antialias', 0) !== 0) ctx.reject('antialias=1 is not supported');
      if (ctx.attrString('keep_aspect_ratio_policy', 'stretch') !== 'stretch') ctx.reject('keep_aspect_ratio_policy other than stretch is not supported');
      if (mode === 'nearest') {
        const nearestMode = ctx.attrString('nearest_mode', 'round_prefer_floor');
        if (ctm !== 'asymmetric' || nearestMode !== 'floor') {
          ctx.reject(`nearest resizing with coordinate_transformation_mode=${ctm} and nearest_mode=${nearestMode} is not PyTorch's nearest (asymmetric with floor)`);
        }
      } else if (mode === 'linear') {
        if (ctm === 'align_corners') alignCorners = true;
        else if (ctm !== 'half_pixel' && ctm !== 'pytorch_half_pixel') ctx.reject(`linear resizing with coordinate_transformation_mode=${ctm} has no PyTorch equivalent`);
      } else {
        ctx.reject(`mode ${mode} is not supported (nearest and linear are)`);
      }
    }
    const axes = legacy ? undefined : ctx.attrInts('axes');
    const expand = (vals: number[], dflt: number): number[] => {
      if (!axes) return vals;
      const full = fill(xs.length, dflt);
      axes.forEach((a, i) => { full[a < 0 ? a + xs.length : a] = vals[i]!; });
      return full;
    };
    let scales: number[] | undefined;
    let sizes: number[] | undefined;
    if (legacy) {
      scales = ctx.has(1) ? [...ctx.floats(1, 'scales').data] : ctx.attrFloats('scales');
    } else {
      if (ctx.has(3)) sizes = expand(ctx.ints(3, 'sizes'), 0).map((d, i) => (axes && d === 0 ? xs[i]! : d));
      if (ctx.has(2)) {
        const s = ctx.floats(2, 'scales').data;
        if (s.length > 0) scales = expand([...s], 1);
      }
    }
    let size: number[];
    let scale: number[] | undefined;
    if (sizes && sizes.length > 0) {
      if (sizes.length !== xs.length || sizes[0] !== xs[0] || sizes[1] !== xs[1]) ctx.reject(`sizes ${show(sizes)} must keep the batch and channel axes of ${show(xs)}`);
      size = sizes.slice(2);
    } else if (scales) {
      if (scales.length !== xs.length || scales[0] !== 1 || scales[1] !== 1) ctx.reject(`scales ${show(scales)} must be 1 on the batch and channel axes of ${show(xs)}`);
      scale = scales.slice(2);
      if (scale.some((s) => !(s > 0))) ctx.reject(`scales ${show(scales)} must be positive`);
      size = xs.slice(2).map((d, a) => Math.floor(d * scale![a]!));
    } else {
      ctx.reject('neither scales nor sizes is given');
    }
    const attrs: UpsampleAttrs = { rank, mode: mode === 'nearest' ? 'nearest' : 'linear', size: size!, alignCorners };
    if (scale && !alignCorners) attrs.scale = scale;
    return { op: 'upsample', inputs: [ctx.tensor(0)], attrs, outShape: checkSizes(ctx, [xs[0]!, xs[1]!, ...size!]), params: {} };
  };
}


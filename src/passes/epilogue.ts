/**
 * The epilogue a producing layer can apply while storing its output, set by
 * passes/fuse-epilogue.ts and honoured by the interpreter and the Wasm kernels:
 *
 *   y = activation(layer(x) + residual)
 *
 * (the layer's own bias is part of `layer(x)`). The residual operand, when present, is the
 * node's last input.
 */
export type EpilogueActivation = 'relu' | 'relu6' | 'clip' | 'leaky_relu' | 'sigmoid' | 'tanh';

export interface Epilogue {
  activation?: EpilogueActivation;
  /** clip bounds (relu6 is clip 0..6). */
  min?: number;
  max?: number;
  /** leaky_relu negative slope. */
  slope?: number;
  /** An extra input (the node's last) is added before the activation. */
  residual?: boolean;
}

export const EPILOGUE_ACTIVATIONS: readonly string[] = ['relu', 'relu6', 'clip', 'leaky_relu', 'sigmoid', 'tanh'];

/** Operators whose kernels can apply an epilogue. */
export const EPILOGUE_HOSTS: readonly string[] = ['conv', 'conv_transpose'];

/** Apply an activation to one value; the scalar definition both backends follow. */
export function activate(e: Epilogue, v: number): number {
  switch (e.activation) {
    case undefined:
      return v;
    case 'relu':
      return v > 0 ? v : v === 0 ? 0 : Number.isNaN(v) ? v : 0;
    case 'relu6':
      return Number.isNaN(v) ? v : Math.min(Math.max(v, 0), 6);
    case 'clip':
      return Number.isNaN(v) ? v : Math.min(Math.max(v, e.min ?? -Infinity), e.max ?? Infinity);
    case 'leaky_relu':
      return v >= 0 ? v : v * (e.slope ?? 0.01);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-v));
    case 'tanh':
      return Math.tanh(v);
  }
}

/**
 * Output sizes on concrete shapes (ops/output-size.ts) evaluate the operators' own shape
 * rules; checked here against the PyTorch formulas written out directly, over a grid.
 */
import { describe, expect, it } from 'vitest';
import { convOutputShape, convTransposeOutputShape, poolOutputShape } from '../../src/ops/output-size.ts';

describe('output sizes', () => {
  it('pooling, floor and ceil mode, every pad up to half the window', () => {
    for (let n = 1; n <= 12; n++) {
      for (let k = 1; k <= 5; k++) {
        for (let s = 1; s <= 4; s++) {
          for (let p = 0; p <= Math.floor(k / 2); p++) {
            for (let d = 1; d <= 2; d++) {
              for (const ceil of [false, true]) {
                const span = n + 2 * p - d * (k - 1) - 1;
                if (span < 0) continue;
                let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
                if (ceil && (o - 1) * s >= n + p) o--;
                const got = poolOutputShape([1, 2, n], { kernel: [k], stride: [s], pad: [p], dilation: [d], ceil });
                expect(got, `n=${n} k=${k} s=${s} p=${p} d=${d} ceil=${ceil}`).toEqual([1, 2, o]);
              }
            }
          }
        }
      }
    }
  });
  it('convolution and transposed convolution', () => {
    expect(convOutputShape([2, 3, 9, 10], { outChannels: 5, kernel: [3, 4], stride: [2, 1], padBegin: [1, 0], padEnd: [1, 2], dilation: [1, 2] }))
      .toEqual([2, 5, Math.floor((9 + 2 - 2 - 1) / 2) + 1, Math.floor((10 + 2 - 6 - 1) / 1) + 1]);
    expect(convTransposeOutputShape([1, 4, 7], { outChannels: 6, kernel: [4], stride: [2], pad: [1], outputPad: [1], dilation: [1] }))
      .toEqual([1, 6, (7 - 1) * 2 - 2 + 3 + 1 + 1]);
  });
});

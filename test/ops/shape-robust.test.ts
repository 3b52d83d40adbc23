/**
 * Hostile arguments and shapes: every operator's rules either give a shape or report a
 * diagnostic, never throw, and never give a shape after reporting an error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dimConst, dimSym, type Dim } from '../../src/ir/dim/dim.ts';
import { OPS } from '../../src/ops/registry.ts';
import type { ArgSpec, ScalarValue } from '../../src/ops/types.ts';
import { recordingContext } from './op-context.ts';

const scalar = fc.oneof(
  fc.integer({ min: -3, max: 9 }), fc.constantFrom(0, 1, 2 ** 31, 2 ** 53, 1e300, -1e300, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
  fc.constantFrom('same', 'valid', 'nearest', 'bilinear', 'trilinear', 'linear', 'bogus'), fc.boolean(),
);
const value: fc.Arbitrary<ScalarValue> = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }));

const dimArb: fc.Arbitrary<Dim> = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map(dimConst),
  fc.constantFrom(2 ** 31, 2 ** 52, 2 ** 60).map(dimConst),
  fc.constantFrom('N', 'C', 'H', 'W').map(dimSym),
);
const shapeArb = fc.array(dimArb, { maxLength: 6 });

const argsArb = (specs: readonly ArgSpec[]) =>
  fc.tuple(...specs.map((s) => fc.option(value, { nil: undefined, freq: 3 }).map((v) => [s, v] as const)))
    .map((pairs) => Object.fromEntries(pairs.map(([s, v]) => [s.name, v ?? s.default])) as Record<string, ScalarValue | undefined>);

describe('operator rules never throw', () => {
  // Operators the language spells (pass-created ones take attributes built by the pass).
  for (const op of OPS.filter((o) => o.spellings.length > 0)) {
    it(op.name, () => {
      const arity = Math.min(op.inputs.max, 3);
      fc.assert(fc.property(
        fc.array(shapeArb, { minLength: op.inputs.min, maxLength: arity }), argsArb(op.args), fc.constantFrom(...op.spellings),
        (inputs, args, spelling) => {
          const ctx = recordingContext(spelling.name, spelling.rank);
          const attrs = op.attrs(args, inputs, ctx);
          const shape = attrs === undefined ? undefined : op.shape(attrs, inputs, ctx);
          if (shape === undefined) expect(ctx.reports.length).toBeGreaterThan(0);
          else {
            expect(ctx.reports).toEqual([]);
            if (attrs !== undefined) op.weights?.(attrs, inputs);
          }
        },
      ), { numRuns: 400 });
    });
  }
});

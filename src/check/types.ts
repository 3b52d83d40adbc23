/**
 * Parameter types of blocks: checking an argument against `int`, `float`, `bool`, `string`,
 * a tuple `(int, int)`, a list `[int]`, an enumeration `"a" | "b"` or a union of these
 * (`int | (int, int, int)`, `int | [int] | "same"`).
 */
import type { TypeExpr } from '../syntax/ast.ts';
import type { Scalar } from './values.ts';

export function typeText(t: TypeExpr): string {
  switch (t.kind) {
    case 'PrimType': return t.name;
    case 'TupleType': return t.elements.length === 1 ? `(${typeText(t.elements[0]!)},)` : `(${t.elements.map(typeText).join(', ')})`;
    case 'ListType': return `[${typeText(t.element)}]`;
    case 'EnumType': return t.values.map((v) => JSON.stringify(v.value)).join(' | ');
    case 'UnionType': return t.alternatives.map(typeText).join(' | ');
  }
}

/**
 * The value as the type wants it, or undefined when it does not fit. An int is accepted
 * where a float is expected (and becomes a float); a symbolic dimension is an int; a tuple
 * type accepts a list of the right length and a list type accepts a tuple. A union takes the
 * value as its first alternative that fits (so `int | float` keeps an int an int).
 */
export function conformTo(v: Scalar, t: TypeExpr): Scalar | undefined {
  switch (t.kind) {
    case 'UnionType':
      for (const alt of t.alternatives) {
        const c = conformTo(v, alt);
        if (c) return c;
      }
      return undefined;
    case 'PrimType':
      switch (t.name) {
        case 'int': return v.t === 'int' || v.t === 'dim' ? v : undefined;
        case 'float': return v.t === 'float' ? v : v.t === 'int' ? { t: 'float', v: v.v } : undefined;
        case 'bool': return v.t === 'bool' ? v : undefined;
        case 'string': return v.t === 'string' ? v : undefined;
      }
      return undefined;
    case 'EnumType':
      return v.t === 'string' && t.values.some((x) => x.value === v.v) ? v : undefined;
    case 'TupleType': {
      if ((v.t !== 'tuple' && v.t !== 'list') || v.items.length !== t.elements.length) return undefined;
      const items: Scalar[] = [];
      for (let i = 0; i < t.elements.length; i++) {
        const c = conformTo(v.items[i]!, t.elements[i]!);
        if (!c) return undefined;
        items.push(c);
      }
      return { t: 'tuple', items };
    }
    case 'ListType': {
      if (v.t !== 'tuple' && v.t !== 'list') return undefined;
      const items: Scalar[] = [];
      for (const item of v.items) {
        const c = conformTo(item, t.element);
        if (!c) return undefined;
        items.push(c);
      }
      return { t: 'list', items };
    }
  }
}

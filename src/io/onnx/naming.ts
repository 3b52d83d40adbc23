/**
 * Readable instance names for imported ONNX nodes. PyTorch's exporter names a node after the
 * module path it ran in (`/inception/p2_2/Conv`, `/main/main.0/ConvTranspose`) and, unless
 * it folded or renamed them, its initializers after the `state_dict` keys (`p2_2.weight`).
 * Both are turned back into the hierarchical names netc uses (`inception.p2_2`, `main.0`).
 */

const PYTORCH_ROLE = /^(.+)\.(weight|bias|running_mean|running_var)$/;
const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*|[0-9]+)$/;

/** A dotted name whose every segment is an identifier or an index, as PyTorch module paths are. */
export function isHierarchicalName(name: string): boolean {
  return name.length > 0 && name.split('.').every((s) => SEGMENT.test(s));
}

/** `p2_2.weight` -> `p2_2` when the initializer looks like a PyTorch key for `role`. */
export function instanceFromInitializer(initName: string, role: string): string | undefined {
  const m = PYTORCH_ROLE.exec(initName);
  if (!m || m[2] !== role || !isHierarchicalName(m[1]!)) return undefined;
  return m[1];
}

function sanitizeSegment(s: string): string {
  if (SEGMENT.test(s)) return s;
  const cleaned = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(cleaned) && !/^[0-9]+$/.test(cleaned) ? `_${cleaned}` : cleaned || '_';
}

/**
 * The module scope of a node name: `/inception/p2_2/Conv` -> `inception.p2_2`,
 * `/main/main.0/ConvTranspose` -> `main.0` (PyTorch repeats the parent in a Sequential
 * child's scope), `/Relu_1` -> ``. Names not in the exporter's style become one sanitised
 * dotted name (`conv1` stays `conv1`, `Conv_0` stays `Conv_0`).
 */
export function scopeOfNodeName(name: string): string {
  if (!name.startsWith('/')) {
    const parts = name.split('.').filter((p) => p.length > 0).map(sanitizeSegment);
    return parts.join('.');
  }
  const parts = name.split('/').filter((p) => p.length > 0);
  parts.pop();
  const path: string[] = [];
  for (const p of parts) {
    const prev = path.join('.');
    // `main` then `main.0`: the child spells its full path; keep its own part only.
    if (prev.length > 0 && p.startsWith(`${prev}.`)) {
      path.push(...p.slice(prev.length + 1).split('.'));
    } else {
      path.push(...p.split('.'));
    }
  }
  return path.map(sanitizeSegment).join('.');
}

/** Short lower-case names for unweighted nodes (`maxpool`, `relu`) and counters for weighted ones. */
export const autoNames: Record<string, string> = {
  conv: 'conv', conv_transpose: 'convT', batchnorm: 'bn', linear: 'fc',
};

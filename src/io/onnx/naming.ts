/**
 * Readable instance names for imported ONNX nodes. PyTorch's exporter names a node after the
 * module path it ran in (`/inception/p2_2/Conv`, `/main/main.0/ConvTranspose`) and, unless
 * it folded or renamed them, its initializers after the `state_dict` keys (`p2_2.weight`).
 * Both are turned back into the hierarchical names netc uses (`inception.p2_2`, `main.0`).
 */

const PYTORCH_ROLE = /^(.+)\.(weight|bias|running_mean|running_var)$/;

/**
 * A dotted name with no empty segment, as PyTorch module paths are (their segments are any
 * attribute or ModuleDict key: `block1-0` in RegNet). Segments no label can spell are renamed
 * when the source is written (spelling.ts), the same way wherever they come from.
 */
export function isHierarchicalName(name: string): boolean {
  return name.length > 0 && name.split('.').every((s) => s.length > 0 && !/[\s/:]/.test(s));
}

/**
 * `p2_2.weight` -> `p2_2` when the initializer looks like a PyTorch key for `role`. Any
 * segments are kept (`conv-1.weight` -> `conv-1`): the weights keep the model's names, and
 * the source writer renames what no label can spell.
 */
export function instanceFromInitializer(initName: string, role: string): string | undefined {
  const m = PYTORCH_ROLE.exec(initName);
  if (!m || m[2] !== role || m[1]!.split('.').some((seg) => seg === '' || /[\s/:]/.test(seg))) return undefined;
  return m[1];
}


/**
 * The module scope of a node name: `/inception/p2_2/Conv` -> `inception.p2_2`,
 * `/main/main.0/ConvTranspose` -> `main.0` (PyTorch repeats the parent in a Sequential
 * child's scope), `/Relu_1` -> ``. Names not in the exporter's style are split at their dots
 * (`conv1` stays `conv1`, `Conv_0` stays `Conv_0`).
 */
export function scopeOfNodeName(name: string): string {
  if (!name.startsWith('/')) {
    return name.split('.').filter((p) => p.length > 0).map(plainSegment).join('.');
  }
  const parts = name.split('/').filter((p) => p.length > 0);
  parts.pop();
  const path: string[] = [];
  for (const p of parts) path.push(...ownSegments(path, p.split('.')));
  return path.map(plainSegment).join('.');
}

/** Characters that separate names in other tools (`:` of `onnx::Conv_5`, spaces) become `_`. */
function plainSegment(s: string): string {
  return s.replace(/[\s/:]/g, '_');
}

/**
 * The segments a scope part adds to the path. The exporter spells a container's child by its
 * name relative to the nearest ancestor that is not a container: `/main/main.0` (the child
 * `0` of `main`), `/e1/e1.0/e1.0.0`, `/inception3a/branch2/branch2.0/conv` (`branch2.0` is
 * `0` inside `branch2`). So a part that starts with the last segments of the path repeats
 * them: the longest such repetition is dropped.
 */
function ownSegments(path: string[], part: string[]): string[] {
  for (let from = 0; from < path.length; from++) {
    const tail = path.slice(from);
    if (part.length > tail.length && tail.every((seg, i) => part[i] === seg)) return part.slice(tail.length);
  }
  return part;
}

/** Short lower-case names for unweighted nodes (`maxpool`, `relu`) and counters for weighted ones. */
export const autoNames: Record<string, string> = {
  conv: 'conv', conv_transpose: 'convT', batchnorm: 'bn', linear: 'fc',
};

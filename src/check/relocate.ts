/**
 * Errors that arise inside a block of another file (the standard library, the user's own
 * library) because of how the checked file calls it are reported at that call: a GitHub
 * annotation or a SARIF result must point into the file being checked, where the fix is,
 * not at `std/resnet.net`, which is not in the user's repository. The block's own line
 * becomes a related location naming the instance, so nothing is lost.
 */
import type { Diagnostic, InstanceFrame } from '../diag/diagnostic.ts';
import type { Span } from '../diag/span.ts';

/**
 * Move each diagnostic whose primary location is outside `file` but which arose through a
 * call written in `file` to that call (the innermost such call: the one closest to the
 * mistake), or to the argument of that call the failing line uses, when it uses exactly one.
 * `text` gives the source of a file, to see which parameters the failing line names.
 */
export function relocateToFile(diags: readonly Diagnostic[], file: string, text: (file: string) => string | undefined): Diagnostic[] {
  return diags.map((d) => {
    if (d.span.file === file || d.instances.length === 0) return d;
    const at = d.instances.findIndex((f) => f.span.file === file);
    if (at < 0) return d;
    const call = d.instances[at]!;
    const inner = d.instances.slice(0, at + 1);
    const where = inner.map((f) => `${f.instance} = ${f.callee}`).join(' in ');
    const span = at === 0 ? responsibleArgument(d.span, call, text) ?? call.span : call.span;
    const what = d.label ? `${d.label}: ` : '';
    return {
      ...d,
      span,
      label: undefined,
      related: [{ span: d.span, message: `${what}the error shows here, inside ${where}` }, ...d.related],
      instances: d.instances.slice(at + 1),
    };
  });
}

/**
 * The argument of `call` whose parameter the text at `span` names, when it names exactly one
 * parameter that the call gives (`stride=stride` failing inside BasicBlock points at the
 * call's `stride=2`).
 */
function responsibleArgument(span: Span, call: InstanceFrame, text: (file: string) => string | undefined): Span | undefined {
  const args = call.args;
  if (!args || args.size === 0) return undefined;
  const source = text(span.file);
  if (source === undefined) return undefined;
  const written = source.slice(span.start.offset, span.end.offset);
  // Only an argument (`stride=stride`, `planes`) says which parameter it is; an annotation
  // or a whole call names sizes and parameters that need not be the cause.
  const arg = /^(?:[A-Za-z_][A-Za-z0-9_]*\s*=\s*)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(written);
  if (!arg) return undefined;
  const names = new Set([arg[1]!]);
  const hits = [...args.keys()].filter((p) => names.has(p));
  return hits.length === 1 ? args.get(hits[0]!) : undefined;
}

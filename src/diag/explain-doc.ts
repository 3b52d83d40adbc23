/**
 * The sections of spec/diagnostics.md as data: `## NETxxxx rule-name` followed by a
 * description, an example and notes. `explanations.ts` is generated from it
 * (`npm run explanations`), so that `netc explain` and SARIF rule descriptions ship with
 * the compiler and say what the specification says.
 */

export interface Explanation {
  code: string;
  rule: string;
  /** The first paragraph: what the code means, in full sentences. */
  summary: string;
  /** The whole section below its heading (Markdown: description, example, notes). */
  text: string;
}

/** Every section of the document, in document order. */
export function parseExplanations(doc: string): Explanation[] {
  const out: Explanation[] = [];
  const parts = doc.split(/^## (?=NET\d{4})/m).slice(1);
  for (const part of parts) {
    const nl = part.indexOf('\n');
    const heading = part.slice(0, nl < 0 ? part.length : nl);
    const m = /^(NET\d{4})\s+`?([\w-]+)`?/.exec(heading);
    if (!m) continue;
    // A section ends at the next heading or at the comment that opens the next range.
    const body = (nl < 0 ? '' : part.slice(nl + 1)).split(/^<!--/m)[0]!.trim();
    const summary = (body.split(/\n\s*\n/)[0] ?? '').replace(/\s*\n\s*/g, ' ').trim();
    out.push({ code: m[1]!, rule: m[2]!, summary, text: body });
  }
  return out;
}

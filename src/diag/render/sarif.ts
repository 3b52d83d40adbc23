/**
 * SARIF 2.1.0 output, the format GitHub code scanning accepts (`upload-sarif`). Rules are the
 * catalogue entries that occur in the run; artifact URIs are relative to the working directory
 * with forward slashes, as code scanning expects.
 */
import { catalogue, type CatalogueEntry } from '../catalogue.ts';
import { EXPLANATIONS } from '../explanations.ts';
import type { Diagnostic, Fix } from '../diagnostic.ts';
import type { Span } from '../span.ts';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

function location(span: Span, relativeTo: (f: string) => string) {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeTo(span.file).replace(/\\/g, '/') },
      region: {
        startLine: span.start.line,
        startColumn: span.start.column,
        endLine: span.end.line,
        endColumn: span.end.column,
      },
    },
  };
}

/** A SARIF fix: one artifactChange per file, each edit a replacement of a region. */
function sarifFix(f: Fix, relativeTo: (file: string) => string) {
  const files = [...new Set(f.edits.map((e) => e.span.file))];
  return {
    description: { text: f.message },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: relativeTo(file).replace(/\\/g, '/') },
      replacements: f.edits.filter((e) => e.span.file === file).map((e) => ({
        deletedRegion: {
          startLine: e.span.start.line,
          startColumn: e.span.start.column,
          endLine: e.span.end.line,
          endColumn: e.span.end.column,
        },
        insertedContent: { text: e.text },
      })),
    })),
  };
}

export function toSarif(diags: readonly Diagnostic[], version: string, relativeTo: (file: string) => string = (f) => f): object {
  const ruleIds = [...new Set(diags.map((d) => d.code))].sort();
  const rules = ruleIds.map((id) => {
    const entry = (catalogue as Record<string, CatalogueEntry>)[id];
    const doc = EXPLANATIONS.find((e) => e.code === id);
    // Sentences from the documentation, not the message template with its {placeholders}.
    const full = doc?.summary ?? entry?.rule ?? id;
    const first = /^.*?[.!?](?=\s|$)/.exec(full)?.[0] ?? full;
    return {
      id,
      name: entry?.rule ?? id,
      shortDescription: { text: first },
      fullDescription: { text: full },
      defaultConfiguration: { level: entry?.severity === 'warning' ? 'warning' : entry?.severity === 'note' ? 'note' : 'error' },
      help: {
        text: doc ? `${doc.text}\n\n(netc explain ${id})` : `netc explain ${id}`,
        markdown: doc ? `${doc.text}\n\n\`netc explain ${id}\`` : `\`netc explain ${id}\``,
      },
    };
  });
  const results = diags.map((d) => {
    const extra = [...d.instances.map((f) => `in ${f.instance} = ${f.callee}`), ...d.notes, ...(d.help ? [`help: ${d.help}`] : [])];
    return {
      ruleId: d.code,
      ruleIndex: ruleIds.indexOf(d.code),
      level: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note',
      message: { text: [d.message, ...extra].join('\n') },
      locations: [location(d.span, relativeTo)],
      relatedLocations: d.related.map((r, i) => ({ id: i, ...location(r.span, relativeTo), message: { text: r.message } })),
      ...(d.fixes && d.fixes.length > 0 ? { fixes: d.fixes.map((f) => sarifFix(f, relativeTo)) } : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'netc', version, rules } },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

export function renderSarif(diags: readonly Diagnostic[], version: string, relativeTo?: (file: string) => string): string {
  return JSON.stringify(toSarif(diags, version, relativeTo), null, 2) + '\n';
}

/**
 * A small TextMate tokeniser for tests: enough of the rule semantics our generated grammar
 * uses (`match` with `captures`, `begin`/`end` with inner `patterns`, `include` of repository
 * rules) to tokenise a file line by line as an editor would. At each position every rule is
 * tried; the earliest match wins, ties going to the rule listed first. Regular expressions
 * run as JavaScript RegExps, which accept the Oniguruma subset the grammar is written in.
 */

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name: string }>;
  patterns?: Rule[];
  include?: string;
}

export interface TmGrammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

export interface Token {
  text: string;
  /** Scopes from the outermost (the grammar's) in. */
  scopes: string[];
}

interface Candidate {
  rule: Rule;
  match: RegExpExecArray;
}

export class Tokenizer {
  private readonly compiled = new Map<string, RegExp>();

  constructor(private readonly grammar: TmGrammar) {}

  /** Tokens of every line; a `begin`/`end` rule left open carries over to the next line. */
  tokenize(text: string): Token[][] {
    const lines: Token[][] = [];
    let open: Rule | undefined;
    for (const line of text.split('\n')) {
      const tokens: Token[] = [];
      let pos = 0;
      const push = (end: number, scopes: string[]): void => {
        if (end > pos) tokens.push({ text: line.slice(pos, end), scopes: [this.grammar.scopeName, ...scopes] });
        pos = Math.max(pos, end);
      };
      while (pos < line.length) {
        if (open) {
          const end = this.regex(open.end!).exec(line.slice(pos));
          const stop = end ? pos + end.index + end[0].length : line.length;
          push(stop, open.name ? [open.name] : []);
          if (end) open = undefined;
          continue;
        }
        const found = this.earliest(this.grammar.patterns, line, pos);
        if (!found) {
          push(line.length, []);
          break;
        }
        push(found.match.index, []);
        const { rule, match } = found;
        if (rule.begin !== undefined) {
          push(match.index + match[0].length, rule.name ? [rule.name] : []);
          open = rule;
          continue;
        }
        this.pushCaptures(rule, match, push);
        if (match[0].length === 0) push(pos + 1, []);
      }
      lines.push(tokens);
    }
    return lines;
  }

  private pushCaptures(rule: Rule, match: RegExpExecArray, push: (end: number, scopes: string[]) => void): void {
    const outer = rule.name ? [rule.name] : [];
    const end = match.index + match[0].length;
    if (!rule.captures) {
      push(end, outer);
      return;
    }
    // Groups in order of their position (the `d` flag gives each group's indices).
    const indices = match.indices!;
    const groups = Object.entries(rule.captures)
      .map(([k, v]) => ({ range: indices[Number(k)], name: v.name }))
      .filter((g): g is { range: [number, number]; name: string } => g.range !== undefined)
      .sort((a, b) => a.range[0] - b.range[0]);
    for (const g of groups) {
      push(g.range[0], outer);
      push(g.range[1], [...outer, g.name]);
    }
    push(end, outer);
  }

  private earliest(rules: Rule[], line: string, pos: number): Candidate | undefined {
    let best: Candidate | undefined;
    for (const rule of rules) {
      const found = rule.include !== undefined
        ? this.earliest([this.grammar.repository[rule.include.replace(/^#/, '')]!], line, pos)
        : rule.match !== undefined || rule.begin !== undefined
          ? this.at(rule, line, pos)
          : rule.patterns
            ? this.earliest(rule.patterns, line, pos)
            : undefined;
      if (found && (!best || found.match.index < best.match.index)) best = found;
    }
    return best;
  }

  private at(rule: Rule, line: string, pos: number): Candidate | undefined {
    const re = this.regex(rule.match ?? rule.begin!, 'gd');
    re.lastIndex = pos;
    const match = re.exec(line);
    return match ? { rule, match } : undefined;
  }

  private regex(source: string, flags = 'd'): RegExp {
    const key = `${flags}/${source}`;
    let re = this.compiled.get(key);
    if (!re) {
      re = new RegExp(source, flags);
      this.compiled.set(key, re);
    }
    return re;
  }
}

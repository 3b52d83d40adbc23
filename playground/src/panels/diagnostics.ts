/** The diagnostics list under the editor: each as `netc check` prints it; a click goes to its line. */
import type { DiagItem } from '../protocol.ts';

export function renderDiagnostics(root: HTMLElement, diags: readonly DiagItem[], jump: (line: number) => void): void {
  root.replaceChildren();
  if (diags.length === 0) {
    const li = document.createElement('li');
    li.className = 'ok';
    li.textContent = 'no problems';
    root.append(li);
    return;
  }
  for (const d of diags) {
    const li = document.createElement('li');
    li.className = `diag ${d.severity}`;
    li.dataset['line'] = String(d.line);
    li.dataset['code'] = d.code;
    const pre = document.createElement('pre');
    pre.textContent = d.text;
    li.append(pre);
    li.onclick = () => jump(d.line);
    root.append(li);
  }
}

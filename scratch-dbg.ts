import { readFileSync } from 'node:fs';
import { readOnnx } from './src/io/onnx/read.ts';
const f = process.argv[2]!;
const { model } = readOnnx(new Uint8Array(readFileSync(f)), { file: f });
for (const n of model!.nodes) if (process.argv.slice(3).includes(n.opType)) {
  console.log(n.name, n.opType, n.inputs, n.outputs, [...n.attrs].map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' '));
  for (const i of n.inputs) { const c = model!.initializers.get(i); if (c) console.log('  init', i, c.dims, c.ints ?? Array.from(c.floats ?? []).slice(0, 8)); }
}

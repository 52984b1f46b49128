// Writes the fixture MLP's state dict with @nabla/io, then has torch load it (check_safetensors.py):
// the evidence for the nabla -> torch direction, committed as fixtures/roundtrip.json.
//   node --conditions=@nabla/source --import tsx tooling/oracle/roundtrip.mjs
// @nabla/io is resolved by name from its own folder (self-reference), so the oracle needs no dependency on it
// (tensor's tests depend on the oracle; the reverse edge would make a cycle).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { URL, fileURLToPath, pathToFileURL } from 'node:url';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const fromIo = createRequire(here('../../packages/io/package.json'));
const load = (name) => import(pathToFileURL(fromIo.resolve(name)).href);
const { saveFile } = await load('@nabla/io/node');
const { tensor } = await load('@nabla/tensor');

const fixture = JSON.parse(readFileSync(here('./fixtures/safetensors.json'), 'utf8'));
const record = {};
for (const [name, t] of Object.entries(fixture.tensors)) record[name] = tensor(Float32Array.from(t.data), { shape: t.shape });
const file = here('./fixtures/nabla-mlp.safetensors');
saveFile(file, record, { metadata: { format: 'pt', producer: '@nabla/io saveFile' } });

const note = 'fixtures/nabla-mlp.safetensors written by @nabla/io saveFile from safetensors.json tensors (roundtrip.mjs), loaded strictly into the torch MLP by check_safetensors.py';
const out = JSON.parse(execFileSync('/usr/bin/python3', [here('./check_safetensors.py'), file, '--out', here('./fixtures/roundtrip.json'), '--note', note], { encoding: 'utf8' }));
const want = fixture.output.data;
const maxDiff = Math.max(...out.output.data.map((v, i) => Math.abs(v - want[i])));
console.log(`torch read ${Object.keys(out.tensors).length} tensors from ${out.file}; max |output - fixture output| = ${maxDiff}`);
if (maxDiff !== 0) process.exit(1);

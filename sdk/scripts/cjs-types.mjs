// After tsup: makes the CommonJS declarations (dist/*.d.ts) import viem's types as ES modules.
// viem ships its declarations as ESM only ("type": "module"), so under `moduleResolution: node16`
// a CommonJS file's plain `import { PublicClient } from "viem"` is an error (TS1479) unless the import
// says `resolution-mode: import`. TypeScript accepts the attribute under every module resolution.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const dist = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "dist");
const plain = /^import \{ (.+) \} from '(viem(?:\/[^']*)?)';$/gm;
for (const file of readdirSync(dist).filter((f) => f.endsWith(".d.ts"))) {
  const full = path.join(dist, file);
  const text = readFileSync(full, "utf8");
  const fixed = text.replace(plain, "import type { $1 } from '$2' with { 'resolution-mode': 'import' };");
  const left = fixed.split("\n").filter((l) => /from 'viem/.test(l) && !l.includes("resolution-mode"));
  if (left.length > 0) throw new Error(`${file}: viem imports left as CommonJS:\n${left.join("\n")}`);
  if (fixed !== text) writeFileSync(full, fixed);
}

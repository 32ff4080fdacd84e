/**
 * Front matter sizes: parsing cost must grow linearly with the number of keys, values and
 * variables, and front matter past the size limit must be refused at once with a clear message.
 */
import { parseRunbook } from '../../src/core/runbook';

export interface GrowthFigure {
  shape: string;
  sizes: number[];
  ms: number[];
  /** Time ratio between the largest and the smallest size, divided by their size ratio. */
  growth: number;
  failed: boolean;
  message?: string;
}

function best(fn: () => void, runs = 3): number {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const STEP = '- [ ] s\n  ```sh\n  echo\n  ```\n';

const SHAPES: Record<string, (n: number) => string> = {
  'keys': (n) => `---\n${Array.from({ length: n }, (_, i) => `k${i}: v`).join('\n')}\n---\n${STEP}`,
  'variables': (n) => `---\nvariables:\n${Array.from({ length: n }, (_, i) => `  V${i}: { default: "x", prompt: "p" }`).join('\n')}\n---\n${STEP}`,
  'long value': (n) => `---\ntitle: "${'x'.repeat(n * 8)}"\n---\n${STEP}`,
  'nested maps': (n) => `---\nextra:\n${Array.from({ length: n }, (_, i) => `  a${i}:\n    b: [1, 2, 3]`).join('\n')}\n---\n${STEP}`,
  'duplicate keys': (n) => `---\n${Array.from({ length: n }, () => 'k: v').join('\n')}\n---\n${STEP}`,
};

/** Linear growth: 8x the input may cost up to `limit` x 8 the time (noise on a loaded machine). */
export function fuzzFrontMatter(limit = 3): GrowthFigure[] {
  const out: GrowthFigure[] = [];
  for (const [shape, make] of Object.entries(SHAPES)) {
    const sizes = [500, 1000, 2000, 4000];
    const inputs = sizes.map(make);
    // Warm the JIT on the largest input first, so the smallest is not measured cold.
    parseRunbook(inputs[inputs.length - 1]);
    const ms = inputs.map((text) => best(() => parseRunbook(text)));
    const growth = ms[ms.length - 1] / Math.max(ms[0], 0.05) / (sizes[sizes.length - 1] / sizes[0]);
    out.push({ shape, sizes, ms: ms.map((m) => Math.round(m * 100) / 100), growth: Math.round(growth * 100) / 100, failed: growth > limit });
  }
  // Past the limit: refused with a message, without parsing.
  const huge = SHAPES.keys(80_000);
  const t = performance.now();
  const rb = parseRunbook(huge);
  const ms = performance.now() - t;
  const refused = rb.problems.some((p) => /front matter up to/.test(p.message));
  out.push({ shape: 'over the limit', sizes: [80_000], ms: [Math.round(ms * 100) / 100], growth: 0, failed: !refused, message: refused ? undefined : 'not refused' });
  return out;
}

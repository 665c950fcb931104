/**
 * The gzipped size of the JavaScript the console route loads before anything lazy: the
 * entry chunk of `index.html` and every chunk it imports statically, from Vite's manifest.
 * `bench/run.ts` reports it (budget: 350 KB, issue 8); run it alone with
 * `npx tsx admin-ui/bundleSize.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const INITIAL_JS_BUDGET_BYTES = 350 * 1024;

interface ManifestChunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

export interface BundleSize {
  /** Sum of the gzipped initial chunks, in bytes. */
  readonly initialGzipBytes: number;
  readonly initialChunks: ReadonlyArray<{ file: string; bytes: number; gzipBytes: number }>;
  /** Chunks loaded on demand (editors, other screens), gzipped bytes. */
  readonly lazyGzipBytes: number;
  /**
   * What opening `/objects` (the console's landing route) downloads in all: the initial chunks
   * plus the object list's lazy chunk and its imports, in bytes gzipped.
   */
  readonly landingRouteGzipBytes: number;
  /**
   * What opening the staff app (`/app`, its home) downloads in all: the initial chunks plus the
   * staff shell's and home's lazy chunks and their imports, in bytes gzipped (issue 9 asks ≤ 300 KB).
   */
  readonly staffRouteGzipBytes: number;
  readonly budgetBytes: number;
  readonly withinBudget: boolean;
}

/** Reads `dist/.vite/manifest.json` of a built console (`vite build`); throws when there is no build. */
export function adminBundleSize(distDir = resolve(import.meta.dirname, 'dist')): BundleSize {
  const manifestPath = resolve(distDir, '.vite/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No console build at ${distDir}: run \`npx vite build --config admin-ui/vite.config.ts\``);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestChunk>;
  const entry = manifest['index.html'];
  if (!entry) throw new Error('The manifest has no index.html entry');
  const closure = (start: string, into = new Set<string>()) => {
    const visit = (key: string) => {
      if (into.has(key) || !manifest[key]) return;
      into.add(key);
      for (const k of manifest[key]?.imports ?? []) visit(k);
    };
    visit(start);
    return into;
  };
  const initial = closure('index.html');
  const landing = closure('src/pages/ObjectList.tsx', new Set(initial));
  const staff = manifest['src/staff/StaffShell.tsx'] ? closure('src/staff/pages/StaffHome.tsx', closure('src/staff/StaffShell.tsx', new Set(initial))) : new Set<string>();
  const size = (file: string) => {
    const bytes = readFileSync(resolve(distDir, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  };
  const initialChunks = [...initial].map((k) => size(manifest[k]!.file));
  const initialFiles = new Set(initialChunks.map((c) => c.file));
  const lazyFiles = new Set(Object.values(manifest).map((c) => c.file).filter((f) => f.endsWith('.js') && !initialFiles.has(f)));
  const initialGzipBytes = initialChunks.reduce((n, c) => n + c.gzipBytes, 0);
  return {
    initialGzipBytes,
    initialChunks,
    lazyGzipBytes: [...lazyFiles].reduce((n, f) => n + size(f).gzipBytes, 0),
    landingRouteGzipBytes: [...landing].reduce((n, k) => n + size(manifest[k]!.file).gzipBytes, 0),
    staffRouteGzipBytes: [...staff].reduce((n, k) => n + size(manifest[k]!.file).gzipBytes, 0),
    budgetBytes: INITIAL_JS_BUDGET_BYTES,
    withinBudget: initialGzipBytes <= INITIAL_JS_BUDGET_BYTES,
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const s = adminBundleSize();
  console.log(`admin console initial JS: ${(s.initialGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${s.budgetBytes / 1024} KB${s.withinBudget ? '' : ', OVER'}); with the /objects screen: ${(s.landingRouteGzipBytes / 1024).toFixed(1)} KB; staff app home (/app): ${(s.staffRouteGzipBytes / 1024).toFixed(1)} KB; all lazy chunks: ${(s.lazyGzipBytes / 1024).toFixed(1)} KB`);
  for (const c of s.initialChunks) console.log(`  ${c.file}  ${(c.gzipBytes / 1024).toFixed(1)} KB`);
}

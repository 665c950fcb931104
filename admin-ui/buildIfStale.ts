/**
 * `npm start` runs this first (`prestart`): builds the admin console with Vite when
 * `admin-ui/dist` is missing or older than its sources, and does nothing otherwise (~50 ms),
 * so a restart is not slowed by a 3 s build it does not need. The e2e test calls it too.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const UI = import.meta.dirname;
const SOURCES = [join(UI, 'src'), join(UI, 'index.html'), join(UI, 'vite.config.ts'), resolve(UI, '../metadata/schema/field.schema.json'), resolve(UI, '../package-lock.json')];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export function consoleBuildIsStale(): boolean {
  const built = join(UI, 'dist', 'index.html');
  return !existsSync(built) || statSync(built).mtimeMs < Math.max(...SOURCES.map(newest));
}

export async function buildConsoleIfStale(): Promise<boolean> {
  if (!consoleBuildIsStale()) return false;
  const { build } = await import('vite');
  // Always a production build: under vitest NODE_ENV is `test`, and Vite and the React plugin
  // would then bundle React's development runtime (slower, and ~60 KB more in the first load).
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(UI, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const started = Date.now();
  buildConsoleIfStale().then(
    (built) => console.log(built ? `Admin console built in ${((Date.now() - started) / 1000).toFixed(1)} s (admin-ui/dist)` : 'Admin console is up to date (admin-ui/dist)'),
    (error) => {
      console.error('Building the admin console failed; the API still starts.', error);
    },
  );
}

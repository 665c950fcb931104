/**
 * The local runtime (`npm start -- --memory`) in a child process on a free port, for what drives
 * it from outside: the browser journeys (test/e2e) and the form benchmark (bench/formRender.ts).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './dynamoLocal';

const ROOT = resolve(import.meta.dirname, '../..');

export interface LocalRuntime {
  /** `http://127.0.0.1:<port>`: the API and the built console on one origin. */
  readonly base: string;
  /** What the runtime printed so far. */
  output(): string;
  /** Stops it (SIGINT: it stops DynamoDB Local too) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts the runtime with a fresh in-memory database and the demo tenant, whose users sign in with `password`. */
export async function startLocalRuntime(password: string): Promise<LocalRuntime> {
  const port = await freePort();
  const server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/start.ts', '--memory'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), TESSERA_DEMO_PASSWORD: password, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  server.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // ~10 s on an idle machine; the ceiling is for a loaded one (DynamoDB Local's JVM, tsx, the demo seed).
  const deadline = Date.now() + 150_000;
  while (!out.includes('Ctrl-C stops everything')) {
    if (Date.now() > deadline || server.exitCode !== null) {
      if (server.exitCode === null) server.kill('SIGINT');
      throw new Error(`the local runtime did not come up:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => out,
    async stop() {
      if (server.exitCode !== null) return;
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT');
      await exited;
    },
  };
}

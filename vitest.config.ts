import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One DynamoDB Local for the whole run; each test file makes its own table.
    globalSetup: ['test/support/globalSetup.ts'],
    // Generous: a test that is slow because the machine is busy is not failing. Most take well under a second.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // `expect.poll` gives up after 1 s by default; on a busy two-core machine a screen often takes
    // longer to answer (publishing, a chunk loading), which is slowness, not failure.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    pool: 'forks',
    // Two cores: more workers only contend with DynamoDB Local's JVM.
    maxWorkers: 2,
  },
});

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests run against the TypeScript sources of sibling packages, never their build output.
const alias = [
  { find: /^@sigscope\/core$/, replacement: fromRoot('./core/src/index.ts') },
  { find: /^@sigscope\/core\/node$/, replacement: fromRoot('./core/src/node.ts') },
  { find: /^@sigscope\/inspector-agent$/, replacement: fromRoot('./inspector-agent/src/index.ts') },
  {
    find: /^@sigscope\/inspector-agent\/(protocol|serialize)$/,
    replacement: fromRoot('./inspector-agent/src/$1.ts'),
  },
  { find: /^@sigscope\/demo$/, replacement: fromRoot('./demo/src/index.ts') },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'core',
          root: fromRoot('./core'),
          include: ['test/**/*.test.ts'],
          typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
        },
      },
      {
        // The same suite again with a trace subscriber installed: tracing must never change semantics.
        resolve: { alias },
        test: {
          name: 'core-traced',
          root: fromRoot('./core'),
          include: ['test/**/*.test.ts'],
          exclude: ['test/trace/**'],
          setupFiles: ['test/setup/install-trace-subscriber.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'inspector-agent',
          root: fromRoot('./inspector-agent'),
          include: ['test/**/*.test.ts'],
        },
      },
      {
        resolve: { alias },
        plugins: [react()],
        test: {
          name: 'inspector-ui',
          root: fromRoot('./inspector-ui'),
          include: ['test/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['test/setup.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'demo',
          root: fromRoot('./demo'),
          include: ['test/**/*.test.ts'],
        },
      },
    ],
  },
});

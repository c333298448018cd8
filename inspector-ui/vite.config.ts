import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The wire protocol is read from the agent's TypeScript source, so the UI builds without
// building the agent first (the agent's build in turn copies this app's dist/).
const alias = [
  { find: /^@sigscope\/core$/, replacement: fromHere('../core/src/index.ts') },
  {
    find: /^@sigscope\/inspector-agent$/,
    replacement: fromHere('../inspector-agent/src/index.ts'),
  },
  {
    find: /^@sigscope\/inspector-agent\/protocol$/,
    replacement: fromHere('../inspector-agent/src/protocol.ts'),
  },
];

export default defineConfig({
  // Relative asset paths let the agent serve the build from any path.
  base: './',
  plugins: [react()],
  resolve: { alias },
  // One bundle is fine for an app served from loopback, so the size warning is raised.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  // The same settings as the workspace's `inspector-ui` test project, for `vitest` run here.
  test: {
    name: 'inspector-ui',
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['test/setup.ts'],
  },
});

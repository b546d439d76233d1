import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser bundle: src/client/main.ts → dist/client/assets/main.js (fixed name, served by the demo).
// The Vue button is taken from its source, as the tests do, so the bundle needs no prior package build.
export default defineConfig({
  root: fileURLToPath(new URL('./src/client', import.meta.url)),
  publicDir: false,
  resolve: {
    alias: {
      '@paybridge/vue-button': fileURLToPath(
        new URL('../../packages/vue-button/src/index.ts', import.meta.url),
      ),
    },
    dedupe: ['vue'],
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: fileURLToPath(new URL('./src/client/main.ts', import.meta.url)),
      output: { entryFileNames: 'assets/[name].js', chunkFileNames: 'assets/[name].js' },
    },
  },
});

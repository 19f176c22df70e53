import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The admin SPA: served by the API server under `/admin/` (src/modules/admin-ui). */
const here = (relative: string): string =>
  decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: '/admin/',
  plugins: [react()],
  // Nothing from the network at run time and nothing inline: the server's CSP allows only 'self'.
  build: {
    outDir: here('../../dist/web/admin'),
    emptyOutDir: true,
    assetsDir: 'assets',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
});

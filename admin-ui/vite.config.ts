import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The admin console. Built into `admin-ui/dist` and served by `npm start` on the API's origin
 * (so the console needs no CORS and no API URL). `manifest` lets `bundleSize.ts` find the
 * chunks the console route loads before anything lazy.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/auth': 'http://127.0.0.1:3000' },
  },
});

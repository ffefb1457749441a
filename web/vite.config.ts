import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboard is built by src/server/build-dashboard.ts (cadre ui runs it); outDir is set there.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
});

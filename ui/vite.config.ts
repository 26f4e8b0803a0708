import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// In `npm run dev -w @medforge/ui`, API calls go to the local gateway; in production Caddy routes them.
const gateway = process.env['GATEWAY_URL'] ?? 'http://127.0.0.1:4000';

export default defineConfig({
  plugins: [vue()],
  server: {
    host: '127.0.0.1',
    proxy: { '/graphql': { target: gateway, ws: true }, '/api': gateway, '/healthz': gateway },
  },
  build: { outDir: 'dist', sourcemap: true },
});

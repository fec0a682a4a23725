import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { inlineBoot } from './scripts/inline-boot.mjs';

// The server serves web/dist at "/", so assets are absolute from the root.
// During `npm run dev`, API calls go to a local `gongdan serve` (GONGDAN_URL, default :8080).
const api = process.env.GONGDAN_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // inlineBoot: index.html starts a signed-in page's first requests and chunks itself (src/lib/early.ts)
  plugins: [react(), inlineBoot()],
  base: '/',
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      // two pages: the workbench (index.html) and the chat-side panel (panel.html, docs/panel.md),
      // which shares only the React chunk and the small libraries it imports
      input: { main: 'index.html', panel: 'panel.html' },
      output: {
        // Rollup would cut antd into many small shared chunks (an icon, a hook: 0.1–10 KB each); the list
        // loaded 61 files. Over HTTP/1.1 (six connections) each file costs a round trip, more than its
        // bytes on a phone: chunks under 10 KB that only define things are merged into one loaded with them.
        experimentalMinChunkSize: 10_000,
        // React, its DOM and the router are what every page (the sign-in page too) needs: one chunk
        // that stays cached across releases. antd and ECharts are left to Rollup, which splits them
        // by the pages that use them, so each route loads only its share (ECharts only with 统计).
        manualChunks(id) {
          if (/node_modules\/(react|react-dom|react-router|scheduler|cookie|set-cookie-parser)\//.test(id)) return 'react';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': { target: api, changeOrigin: false } } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});

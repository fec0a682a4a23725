import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The server serves web/dist at "/", so assets are absolute from the root.
// During `npm run dev`, API calls go to a local `gongdan serve` (GONGDAN_URL, default :8080).
const api = process.env.GONGDAN_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          if (id.includes('node_modules/antd') || id.includes('node_modules/@ant-design') || id.includes('node_modules/rc-') || id.includes('node_modules/@rc-component')) return 'antd';
          return undefined;
        },
      },
    },
  },
  server: { proxy: { '/api': { target: api, changeOrigin: false } } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Chunks for third-party code. The vendor libraries change far less often than the
// application, so splitting them keeps browser caches warm across releases.
const vendorChunks: Array<[string, RegExp]> = [
  ['react', /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/],
  ['antd', /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel[\\/]runtime|classnames|clsx|dayjs|throttle-debounce|compute-scroll-into-view|scroll-into-view-if-needed|stylis|@emotion)[\\/]/],
  ['query', /[\\/]node_modules[\\/]@tanstack[\\/]/],
];

export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // antd (with its icons and rc-components) is one cohesive library that cannot be split without
    // circular chunks; it is large by nature but cached long-term.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (!id.includes('node_modules')) return undefined;
          for (const [name, pattern] of vendorChunks) {
            if (pattern.test(id)) return name;
          }
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});

import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { paraglideOptions } from './i18n/options.js';

// In `vite dev` the API and the live-sync socket come from a server started separately on :3000.
const server = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [paraglideVitePlugin(paraglideOptions), tailwindcss(), sveltekit()],
  build: {
    // Rolldown reports slow plugins; SvelteKit's output step is always the slowest on 2 cores.
    rolldownOptions: {
      checks: { bundlerTimings: false },
      output: {
        // Fewer, fuller files: a phone fetches dozens of 150-byte chunks (one per shared message)
        // six at a time over a slow link. The live-document, QR code and schema libraries stay
        // chunks of their own, loaded only by the pages (or the bell, later) that use them.
        codeSplitting: {
          groups: [
            {
              name: 'yjs',
              test: /node_modules[\\/](yjs|y-websocket|y-protocols|lib0)[\\/]/,
              priority: 30,
            },
            {
              name: 'qrcode',
              test: /node_modules[\\/](qrcode|dijkstrajs|pngjs)[\\/]/,
              priority: 30,
            },
            { name: 'typebox', test: /node_modules[\\/]typebox[\\/]/, priority: 30 },
            {
              name: 'messages',
              test: /src[\\/]lib[\\/]paraglide[\\/]messages[\\/]/,
              minShareCount: 2,
              priority: 20,
            },
            {
              // $lib shared by pages, but not the live documents or the QR code: their libraries
              // would come along on every page.
              name: 'lib',
              test: (id) =>
                /[\\/]src[\\/]lib[\\/]/.test(id) &&
                !/[\\/]src[\\/]lib[\\/](live[\\/]|components[\\/]QrCode)/.test(id),
              minShareCount: 2,
              priority: 15,
            },
            {
              name: 'framework',
              test: /node_modules[\\/](svelte|@sveltejs[\\/]kit|esm-env|clsx)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
    },
  },
});

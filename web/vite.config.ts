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
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    proxy: {
      '/api': server,
      '/yjs': { target: server, ws: true },
    },
  },
});

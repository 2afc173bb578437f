import adapter from '@sveltejs/adapter-static';

/**
 * A client-only SPA: the Fastify server serves build/ with index.html as the fallback,
 * and /api and /yjs on the same origin. The root eslint config imports this file, so it
 * stays a plain config object.
 * @type {import('@sveltejs/kit').Config}
 */
const config = {
  kit: {
    // precompress: each file also as .br and .gz, which the server sends to browsers that take them.
    adapter: adapter({ fallback: 'index.html', precompress: true }),
    // The server sends no CSP for the app, so SvelteKit writes it into the page as a <meta>,
    // with hashes for its own inline bootstrap script.
    csp: {
      mode: 'hash',
      directives: {
        'default-src': ['self'],
        'script-src': ['self'],
        'connect-src': ['self', 'ws:', 'wss:'],
        'img-src': ['self', 'data:', 'blob:'],
        'style-src': ['self', 'unsafe-inline'],
        'object-src': ['none'],
        'base-uri': ['self'],
        'form-action': ['self'],
      },
    },
  },
};

export default config;

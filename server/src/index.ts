export { buildApp, type BuildOptions } from './app.ts';
export { LISTEN_BACKLOG, loadConfig } from './config.ts';
export type { App } from './http/types.ts';

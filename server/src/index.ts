export { buildApp, type BuildOptions } from './app.ts';
export { loadConfig } from './config.ts';
export type { App } from './http/types.ts';

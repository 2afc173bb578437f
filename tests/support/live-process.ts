import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMigratedTestDatabase } from './database.ts';

// The real server in a child process (tests/support/live-server.ts), so a test can kill -9
// it and start another on the same storage.

const root = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];

/** Call from afterAll: kills what is still running and drops the storage. */
export async function cleanUpLiveProcesses(): Promise<void> {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.splice(0)) await cleanup();
}

export interface LiveStorage {
  env: Record<string, string>;
}

/** A fresh, migrated database for one server after another: PGlite in a folder, or real Postgres. */
export async function liveStorage(): Promise<LiveStorage> {
  const database = await createMigratedTestDatabase();
  cleanups.push(() => database.drop());
  const { databaseUrl, dataDir } = database.config;
  return { env: databaseUrl ? { LIVE_DATABASE_URL: databaseUrl } : { LIVE_DATA_DIR: dataDir! } };
}

export interface LiveProcess {
  port: number;
  origin: string;
  wsUrl: string;
  kill(): Promise<void>;
  /** SIGTERM: resolves with the exit code once the server has drained and exited. */
  terminate(): Promise<number | null>;
  /** What it printed so far. */
  output(): string;
}

/** Starts the server on `store`; env adds LIVE_PORT, LIVE_DEMO or LIVE_COMPACT_AFTER. */
export async function startLiveProcess(
  store: LiveStorage,
  env: Record<string, string> = {},
): Promise<LiveProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/live-server.ts'], {
    cwd: root,
    env: { ...process.env, ...store.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const onData = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const port = await new Promise<number>((resolve, reject) => {
    const onListening = () => {
      const match = /LIVE_LISTENING (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onListening);
    child.stderr!.on('data', onListening);
    void exited.then(() => reject(new Error(`server exited:\n${output}`)));
  });
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/yjs`,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    terminate() {
      child.kill('SIGTERM');
      return exited;
    },
    output: () => output,
  };
}

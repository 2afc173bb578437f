// `npm run bench:lighthouse`: Lighthouse (mobile: a mid-range phone on slow 4G, simulated) on the
// login page, the home page signed in as 张阿姨 and the room of the demo roundtable in 议事,
// against the real server on the demo data (embedded database in a temp folder) serving
// web/build. Median of 3 runs a page; prints the score, the web vitals, the JavaScript a phone
// downloads (gzip and brotli, from the built files) and any console error. Never pass/fail.
// Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH); nothing leaves this machine.
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { removeDataDir, startServer } from '../../support/server.ts';
import { javascriptOf, type Javascript } from './javascript.ts';
import { signedInCookie, roomPath } from './demo.ts';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const webBuild = fileURLToPath(new URL('../../../web/build', import.meta.url));
if (!existsSync(`${webBuild}/index.html`)) {
  console.error('web/build is missing: run `npm run build` first.');
  process.exit(1);
}

interface Run {
  /** Lighthouse's measure of this machine's speed at the time (a quiet desktop: 1000–2000). */
  benchmarkIndex: number;
  score: number;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  javascript: Javascript;
  consoleErrors: string[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** One Lighthouse run; a busy machine sometimes loses the trace (NO_NAVSTART): try again. */
async function audit(url: string, port: number, cookie?: string, tries = 3): Promise<Run> {
  try {
    return await auditOnce(url, port, cookie);
  } catch (error) {
    if (tries <= 1) throw error;
    console.error(`again after: ${(error as Error).message}`);
    return audit(url, port, cookie, tries - 1);
  }
}

async function auditOnce(url: string, port: number, cookie?: string): Promise<Run> {
  const result = await lighthouse(url, {
    port,
    output: 'json',
    logLevel: 'error',
    // The default config is the mobile one; errors-in-console comes from best practices.
    onlyCategories: ['performance'],
    onlyAudits: ['errors-in-console'],
    disableFullPageScreenshot: true,
    ...(cookie ? { extraHeaders: { Cookie: cookie } } : {}),
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.message}`);
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const requests = (lhr.audits['network-requests']?.details as { items?: unknown[] } | undefined)
    ?.items as Parameters<typeof javascriptOf>[1] | undefined;
  const errors = (lhr.audits['errors-in-console']?.details as { items?: unknown[] } | undefined)
    ?.items as Array<{ source?: string; description?: string; sourceLocation?: { url?: string } }>;
  return {
    benchmarkIndex: lhr.environment.benchmarkIndex,
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    fcp: numeric('first-contentful-paint'),
    lcp: numeric('largest-contentful-paint'),
    tbt: numeric('total-blocking-time'),
    cls: numeric('cumulative-layout-shift'),
    javascript: javascriptOf(webBuild, requests ?? []),
    consoleErrors: (errors ?? []).map((e) =>
      `${e.source ?? ''}: ${e.description ?? ''} ${e.sourceLocation?.url ?? ''}`.trim(),
    ),
  };
}

const started = performance.now();
const server = await startServer();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  logLevel: 'error',
});
try {
  const cookie = await signedInCookie(server.url, 'resident');
  const pages = [
    { name: 'login', path: '/login', cookie: undefined },
    { name: 'home', path: '/', cookie },
    { name: 'room', path: await roomPath(server.url, cookie, '电动车充电难'), cookie },
  ];
  // One page load before measuring: the server's first answers (JIT, database caches) would
  // otherwise weigh on the first page only.
  await audit(`${server.url}/login`, chrome.port);
  const rows: string[] = [];
  const errors: string[] = [];
  const speeds: number[] = [];
  for (const page of pages) {
    const results: Run[] = [];
    for (let i = 0; i < runs; i++) {
      results.push(await audit(`${server.url}${page.path}`, chrome.port, page.cookie));
    }
    const m = (pick: (r: Run) => number) => median(results.map(pick));
    const js = results[0]!.javascript;
    rows.push(
      [
        page.name.padEnd(6),
        `${m((r) => r.score)}`.padStart(5),
        `${Math.round(m((r) => r.fcp))}`.padStart(6),
        `${Math.round(m((r) => r.lcp))}`.padStart(6),
        `${Math.round(m((r) => r.tbt))}`.padStart(6),
        m((r) => r.cls)
          .toFixed(3)
          .padStart(6),
        `${js.files}`.padStart(6),
        `${(js.raw / 1024).toFixed(1)}`.padStart(8),
        `${(js.gzip / 1024).toFixed(1)}`.padStart(8),
        `${(js.brotli / 1024).toFixed(1)}`.padStart(8),
        `${(js.gzipLazy / 1024).toFixed(1)}`.padStart(9),
        `${(m((r) => r.javascript.transferred) / 1024).toFixed(1)}`.padStart(8),
        `${results.map((r) => r.score).join('/')}`.padStart(10),
      ].join(' '),
    );
    for (const r of results) for (const e of r.consoleErrors) errors.push(`${page.name}: ${e}`);
    speeds.push(...results.map((r) => r.benchmarkIndex));
  }
  console.log(
    `\nLighthouse ${runs > 1 ? `median of ${runs}` : '1 run'}, mobile (simulated slow 4G, 4× CPU), ` +
      `Chromium ${(await chromeVersion(chrome.port)) ?? '?'}; times in ms, JavaScript in KB`,
  );
  console.log(
    'page   score    FCP    LCP    TBT    CLS  files   JS raw  JS gzip    JS br  gz lazy     wire   scores',
  );
  for (const row of rows) console.log(row);
  console.log(
    errors.length
      ? `\nConsole errors:\n  ${[...new Set(errors)].join('\n  ')}`
      : '\nConsole errors: none',
  );
  console.log(
    `Machine: Lighthouse benchmark index ${Math.round(median(speeds))} (a quiet desktop scores ` +
      `1000–2000; lower means a busy or slow machine and proportionally worse TBT), ` +
      `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores. ` +
      `"gz lazy": of the JS, what only a dynamic import fetched (the bell, after the first paint). ` +
      `(${Math.round((performance.now() - started) / 1000)} s)`,
  );
} finally {
  chrome.kill();
  await server.stop();
  removeDataDir(server.dataDir);
}

async function chromeVersion(port: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/json/version`);
  const body = (await response.json()) as { Browser?: string };
  return body.Browser?.replace(/^[^/]*\//, '');
}

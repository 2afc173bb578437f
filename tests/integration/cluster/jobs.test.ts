import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { claimDueJobs, scheduleJob } from '@tongxin/db/jobs/jobs.queries';
import { startDueJobs, startSweep } from '../../../server/src/jobs/sweeps.ts';
import {
  clusterTestsEnabled,
  createTestCluster,
  type ClusterInstance,
  type TestCluster,
} from '../../support/cluster.ts';
import { waitFor } from '../../support/realtime.ts';

// Timers that matter live in the database: a sweep runs once a period across three
// instances and goes on when the one running it dies; a due job is done once, and done by
// another instance when its claimer dies half-way; a kind an instance has no handler for
// (a newer release's, mid rolling restart) is left to the instances that know it.

describe.skipIf(!clusterTestsEnabled)('jobs across instances', () => {
  let cluster: TestCluster;
  let instances: ClusterInstance[];

  beforeAll(async () => {
    cluster = await createTestCluster(() => {});
    instances = [await cluster.start(), await cluster.start(), await cluster.start()];
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('a sweep runs once a period across three instances, and goes on without the one that ran it', async () => {
    const name = `test-sweep-${randomBytes(4).toString('hex')}`;
    const periodMs = 400;
    const runs: Array<{ by: number; at: number }> = [];
    const sweeps = instances.map((instance, by) =>
      startSweep(instance.app, {
        name,
        periodMs,
        run: async () => {
          runs.push({ by, at: Date.now() });
        },
      }),
    );
    try {
      const started = Date.now();
      await waitFor(() => runs.length >= 6, 'six runs');
      const elapsed = Date.now() - started;
      // Twelve looks a period between them, one run: never more than one a period.
      expect(runs.length).toBeLessThanOrEqual(Math.floor(elapsed / periodMs) + 1);
      // (Measured here, after each claim's round trip: a little jitter around the period.)
      for (let i = 1; i < runs.length; i++)
        expect(runs[i]!.at - runs[i - 1]!.at).toBeGreaterThanOrEqual(periodMs / 2);

      // The instance that ran it last dies: the others carry on.
      const dead = runs.at(-1)!.by;
      await sweeps[dead]!.stop();
      const before = runs.length;
      await waitFor(() => runs.length >= before + 3, 'three more runs, by the others');
      expect(runs.slice(before).every((r) => r.by !== dead)).toBe(true);
    } finally {
      await Promise.all(sweeps.map((s) => s.stop()));
    }
  });

  it('due jobs are done once across three instances, one whose claimer died by another, and an unknown kind by none', async () => {
    const kind = `test-job-${randomBytes(4).toString('hex')}`;
    const db = instances[0]!.app.db;
    const done: Array<{ subject: string; by: number; early: boolean }> = [];
    // A claimer that dies: it takes a job for 300 ms and never finishes it.
    await scheduleJob(db, { kind, subject: 'orphan', dueAt: new Date(Date.now() - 1000) });
    const unknown = `${kind}-newer`;
    await scheduleJob(db, { kind: unknown, subject: 'later', dueAt: new Date(Date.now() - 1000) });
    const orphaned = await claimDueJobs(db, { leaseMs: 300, kinds: [kind] });
    expect(orphaned.map((j) => j.subject)).toEqual(['orphan']);
    const soon = Date.now() + 300;
    for (let i = 0; i < 20; i++)
      await scheduleJob(db, { kind, subject: `job-${i}`, dueAt: new Date(soon + i * 20) });
    const stops = instances.map((instance, by) =>
      startDueJobs(
        instance.app,
        {
          [kind]: async (_app, job) => {
            done.push({ subject: job.subject, by, early: Date.now() < job.dueAt.getTime() - 50 });
          },
        },
        50,
      ),
    );
    try {
      await waitFor(() => done.length >= 21, 'every job done');
      const subjects = done.map((d) => d.subject).sort();
      expect(subjects).toEqual(
        ['orphan', ...Array.from({ length: 20 }, (_, i) => `job-${i}`)].sort(),
      );
      expect(done.filter((d) => d.early)).toEqual([]); // none before it was due
      // Three loops ran past the newer kind's job without touching it (as do the apps' own).
      const left = await sql<{ attempts: number; doneAt: Date | null }>`
        select attempts, done_at as "doneAt" from scheduled_jobs where kind = ${unknown}
      `.execute(db);
      expect(left.rows).toEqual([{ attempts: 0, doneAt: null }]);
    } finally {
      await Promise.all(stops.map((stop) => stop()));
    }
    expect(done).toHaveLength(21);
  });
});

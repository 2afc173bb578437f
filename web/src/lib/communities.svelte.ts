import { page } from '$app/state';
import { api } from '$lib/api';
import { describeError } from '$lib/errors';

export interface MyCommunity {
  id: string;
  name: string;
  secretary: boolean;
  units: Array<{ id: string; name: string; reported: boolean }>;
  memberReport: { status: 'pending' | 'confirmed' | 'rejected'; reason: string | null } | null;
}

/**
 * The communities the viewer takes part in, and the one the pages show (`?c=` in the URL,
 * else the first): most people belong to exactly one.
 */
class Communities {
  list = $state<MyCommunity[] | null>(null);
  error = $state<string | null>(null);
  #loading: Promise<void> | null = null;

  get current(): MyCommunity | null {
    const wanted = page.url.searchParams.get('c');
    return this.list?.find((c) => c.id === wanted) ?? this.list?.[0] ?? null;
  }

  load(force = false): Promise<void> {
    if (this.#loading && !force) return this.#loading;
    this.#loading = api
      .GET('/api/double-report/communities')
      .then((list) => {
        this.list = list;
        this.error = null;
      })
      .catch((error: unknown) => {
        this.error = describeError(error);
      });
    return this.#loading;
  }
}

export const communities = new Communities();

import type { MyPointsAccount } from '@tongxin/shared/teams/teams.schemas';
import { page } from '$app/state';
import { api } from '$lib/api';
import { communities } from '$lib/communities.svelte';
import { describeError } from '$lib/errors';

export interface PointsPlace {
  id: string;
  name: string;
  /** A role in the community: its activities, teams and 服务之星 are theirs to see too. */
  belongs: boolean;
  secretary: boolean;
}

/**
 * Where the viewer may use points (我的积分, 积分商城): the communities they belong to, then
 * those where they only have a ledger (a rider credited for a report holds no role there): the
 * shared rule `mayUsePoints`, whose two facts these lists are. The one the page shows: `?c=` when it is one of them, else the
 * first.
 */
class PointsPlaces {
  /** Where I have points, with the balance: `GET /api/me/points`. */
  accounts = $state<MyPointsAccount[] | null>(null);
  error = $state<string | null>(null);

  /**
   * The viewer's communities once, their points accounts afresh on each page (a credit, a
   * redemption, another account signed in meanwhile).
   */
  load(): Promise<void> {
    void communities.load();
    this.accounts = null;
    return api
      .GET('/api/me/points')
      .then((accounts) => {
        this.accounts = accounts;
        this.error = null;
      })
      .catch((e: unknown) => {
        this.error = describeError(e);
      });
  }

  /** Loaded: the places, those the viewer belongs to first. */
  get list(): PointsPlace[] | null {
    const mine = communities.list;
    const accounts = this.accounts;
    if (!mine || !accounts) return null;
    const places: PointsPlace[] = mine.map((c) => ({
      id: c.id,
      name: c.name,
      belongs: true,
      secretary: c.secretary,
    }));
    // Then where I have a ledger and no role: together, exactly where `mayUsePoints` holds.
    for (const a of accounts)
      if (!places.some((p) => p.id === a.community.id))
        places.push({ ...a.community, belongs: false, secretary: false });
    return places;
  }

  get current(): PointsPlace | null {
    const list = this.list;
    const wanted = page.url.searchParams.get('c');
    return list?.find((p) => p.id === wanted) ?? list?.[0] ?? null;
  }
}

export const pointsPlaces = new PointsPlaces();

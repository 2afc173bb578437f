import type { PlaceNode } from '@tongxin/shared/places.schemas';
import { api } from '$lib/api';
import { communities } from '$lib/communities.svelte';

/**
 * The places a report can name: every community (a rider reports wherever they are, not
 * only where they live), and a community's compounds and buildings.
 */
class ProblemPlaces {
  all = $state<PlaceNode[] | null>(null);
  /** For someone in no community (a rider): where their latest report was made. */
  #reportedIn: string | null = null;
  #loading: Promise<void> | null = null;

  /**
   * The places, and what the default community needs: the viewer's own communities (they were
   * loaded alongside and could come second, when the list's first community would show), and
   * for someone with none the community of their latest report, not an empty one of the list.
   */
  load(): Promise<void> {
    this.#loading ??= Promise.all([api.GET('/api/places'), communities.load()]).then(
      async ([p]) => {
        if (communities.list?.length === 0) {
          const mine = await api.GET('/api/problems/mine').catch(() => null);
          this.#reportedIn = mine?.items[0]?.communityId ?? null;
        }
        this.all = p;
      },
    );
    return this.#loading;
  }

  get communities(): PlaceNode[] {
    return (this.all ?? []).filter((p) => p.kind === 'community');
  }

  /**
   * The community shown first: the page's `?c=`, else the viewer's own, else the one of their
   * latest report, else the first.
   */
  defaultCommunity(wanted: string | null): string | null {
    const ids = this.communities.map((c) => c.id);
    if (wanted && ids.includes(wanted)) return wanted;
    const reportedIn = this.#reportedIn && ids.includes(this.#reportedIn) ? this.#reportedIn : null;
    return communities.list?.[0]?.id ?? reportedIn ?? ids[0] ?? null;
  }

  /** A community's compounds, each followed by its buildings ("阳光花园 · 1号楼"). */
  placesIn(communityId: string): Array<{ value: string; label: string }> {
    const all = this.all ?? [];
    return all
      .filter((p) => p.kind === 'compound' && p.parentId === communityId)
      .flatMap((compound) => [
        { value: compound.id, label: compound.name },
        ...all
          .filter((b) => b.kind === 'building' && b.parentId === compound.id)
          .map((b) => ({ value: b.id, label: `${compound.name} · ${b.name}` })),
      ]);
  }
}

export const problemPlaces = new ProblemPlaces();

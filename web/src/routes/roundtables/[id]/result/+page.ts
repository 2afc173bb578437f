import type { PageLoad } from './$types';

// The 公示 is public: no login here; the API decides what an anonymous reader may see.
export const load: PageLoad = () => ({});

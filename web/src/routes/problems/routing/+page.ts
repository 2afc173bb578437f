import { requireLogin } from '$lib/guard';
import type { PageLoad } from './$types';

export const load: PageLoad = ({ url }) => requireLogin(url);

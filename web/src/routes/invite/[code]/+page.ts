import type { RefusalCode } from '@tongxin/shared/refusals';
import { api, ApiError } from '$lib/api';
import { session } from '$lib/session.svelte';
import type { PageLoad } from './$types';

/** Why an invitation cannot be used, when the server says so (404 / 410): refusal codes. */
export type InvitationProblem = Extract<
  RefusalCode,
  'invitation_invalid' | 'invitation_expired' | 'invitation_used_up'
>;

export const load: PageLoad = async ({ params }) => {
  await session.load();
  try {
    const invitation = await api.GET('/api/invitations/{code}', {
      params: { path: { code: params.code } },
    });
    return { code: params.code, invitation, problem: null };
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 410)) {
      const problem: InvitationProblem =
        error.code === 'invitation_expired' || error.code === 'invitation_used_up'
          ? error.code
          : 'invitation_invalid';
      return { code: params.code, invitation: null, problem };
    }
    throw error;
  }
};

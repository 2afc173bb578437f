import type { Part, Stage } from './stages.ts';

export interface MinutesFacts {
  stage: Stage;
  part: Part;
  openMinutes: boolean;
  /** Was marked present (in the room or on a phone). */
  attended: boolean;
  amendUntil: Date | null;
  frozen: boolean;
  now: Date;
}

/**
 * Who may write the minutes now. Drafted live in 议事 by the chair and scribes (everyone when
 * the chair opens them); until approval the chair and scribes keep correcting; attendees
 * amend during the period the chair sets in 评事; frozen once approved.
 */
export function mayWriteMinutes(f: MinutesFacts): boolean {
  if (f.frozen || f.stage === 'raise' || f.stage === 'closed') return false;
  const keeper = f.part === 'chair' || f.part === 'scribe';
  if (f.stage === 'discuss') return keeper || (f.openMinutes && f.part === 'participant');
  if (keeper) return true;
  const amending = f.amendUntil !== null && f.amendUntil > f.now;
  return amending && f.attended && f.part === 'participant';
}

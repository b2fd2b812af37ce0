/** `target enable`: sets the account active, in the form its tenant uses; fails when missing. */
import { setActiveState } from './active-state.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = (input) => setActiveState(input, true);

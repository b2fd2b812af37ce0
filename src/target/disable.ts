/** `target disable`: sets the account inactive in its tenant's form; a missing one is done. */
import { setActiveState } from './active-state.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = (input) => setActiveState(input, false);

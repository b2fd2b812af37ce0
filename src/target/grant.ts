/**
 * `target grant`: give an account the role assignment of a static permission (or bring it up to
 * date), or, for a dynamic permission, the assignments its contracts call for.
 */
import { runPermissionAction } from './permission-action.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = (input) => runPermissionAction('grant', input);

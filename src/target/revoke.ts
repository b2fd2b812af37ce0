/**
 * `target revoke`: remove the role assignment of a static permission, or every assignment of a
 * dynamic permission that `CurrentPermissions` lists.
 */
import { runPermissionAction } from './permission-action.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = (input) => runPermissionAction('revoke', input);

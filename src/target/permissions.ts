/** `target permissions`: the catalogue of grantable permissions, static and dynamic alike. */
import { loadCatalogue } from './permission-catalogue.js';
import type { TargetAction } from './types.js';

export const run: TargetAction = async (input) => {
  const catalogue = await loadCatalogue(input.permissionsFile);
  const permissions = catalogue.permissions.map((permission) => ({
    DisplayName: permission.displayName,
    Identification: { Reference: permission.reference },
  }));
  return { kind: 'output', output: { Success: true, AuditLogs: [], Permissions: permissions } };
};

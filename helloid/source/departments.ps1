##########################################################################################
# InPlanning connector for HelloID (source system): departments
# Writes one JSON department per line: {ExternalId, DisplayName, ManagerExternalId,
# ParentExternalId}, read from the InPlanning resource groups.
# Runs `inplanning source departments` through InPlanningConnector.psm1, which the connector
# installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
# A read that is not complete throws: the import stops instead of ending everyone's access.
##########################################################################################
$ErrorActionPreference = 'Stop'
$config = $configuration | ConvertFrom-Json
$kit = Join-Path (Join-Path $config.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
Import-Module $kit -Force
Invoke-InPlanningSource -Kind 'departments' -Configuration $config

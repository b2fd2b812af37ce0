##########################################################################################
# InPlanning connector for HelloID (source system): persons
# Writes one JSON person per line: {ExternalId, DisplayName, ..., Contracts: [shifts]}, each
# contract a shift with StartDate/EndDate and its access window AccessStartDate/AccessEndDate.
# Runs `inplanning source persons` through InPlanningConnector.psm1, which the connector
# installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
# A read that is not complete throws: the import stops instead of ending everyone's access.
##########################################################################################
$ErrorActionPreference = 'Stop'
$config = $configuration | ConvertFrom-Json
$kit = Join-Path (Join-Path $config.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
Import-Module $kit -Force
Invoke-InPlanningSource -Kind 'persons' -Configuration $config

##########################################################################################
# InPlanning connector for HelloID (PowerShell V2): permissions
# Lists the permission catalogue (the PermissionsFile setting) as HelloID permissions.
# Runs `inplanning target permissions --context -` through InPlanningConnector.psm1, which
# the connector installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
##########################################################################################
$ErrorActionPreference = 'Stop'
$kit = Join-Path (Join-Path $actionContext.Configuration.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
Import-Module $kit -Force
# Adds each permission to $outputContext.Permissions; throws when the catalogue cannot be listed.
Invoke-InPlanningTarget -Action 'permissions' -ActionContext $actionContext -PersonContext $personContext -OutputContext $outputContext

##########################################################################################
# InPlanning connector for HelloID (PowerShell V2): permission import
# Writes every permission to the pipeline as
# {PermissionReference: {Reference}, DisplayName, AccountReferences}, at most 500
# references per object (the object repeats for more).
# Runs `inplanning target import-permissions --context -` through InPlanningConnector.psm1,
# which the connector installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
# A failed read throws, so HelloID imports nothing rather than a partial list.
##########################################################################################
$ErrorActionPreference = 'Stop'
$kit = Join-Path (Join-Path $actionContext.Configuration.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
Import-Module $kit -Force
Invoke-InPlanningImport -Action 'import-permissions' -ActionContext $actionContext

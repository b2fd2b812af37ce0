##########################################################################################
# InPlanning connector for HelloID (PowerShell V2): account import
# Writes every InPlanning account to the pipeline as
# {AccountReference, DisplayName, UserName, Enabled, Data}, Data limited to ImportFields.
# Runs `inplanning target import-accounts --context -` through InPlanningConnector.psm1,
# which the connector installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
# A failed read throws, so HelloID imports nothing rather than a partial list.
##########################################################################################
$ErrorActionPreference = 'Stop'
$kit = Join-Path (Join-Path $actionContext.Configuration.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
Import-Module $kit -Force
Invoke-InPlanningImport -Action 'import-accounts' -ActionContext $actionContext

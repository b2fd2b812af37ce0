##########################################################################################
# InPlanning connector for HelloID (PowerShell V2): enable
# Sets an InPlanning account active.
# Runs `inplanning target enable --context -` through InPlanningConnector.psm1, which the
# connector installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
##########################################################################################
$ErrorActionPreference = 'Stop'
try {
    $kit = Join-Path (Join-Path $actionContext.Configuration.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
    Import-Module $kit -Force
    Invoke-InPlanningTarget -Action 'enable' -ActionContext $actionContext -PersonContext $personContext -OutputContext $outputContext
}
catch {
    $outputContext.Success = $false
    $outputContext.AuditLogs.Add([pscustomobject]@{
            Action  = 'EnableAccount'
            Message = "The InPlanning connector could not run: $($_.Exception.Message)"
            IsError = $true
        })
}

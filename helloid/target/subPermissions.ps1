##########################################################################################
# InPlanning connector for HelloID (PowerShell V2): subPermissions (dynamic permissions)
# One script for grant, update and revoke: the permission's role is assigned per contract
# (for example per department), and the answer lists the complete desired set.
# Runs `inplanning target grant --context -` for the operations grant and update, and
# `inplanning target revoke --context -` for revoke, through InPlanningConnector.psm1, which
# the connector installs on the agent in <ConnectorPath>\helloid. See helloid/README.md.
##########################################################################################
$ErrorActionPreference = 'Stop'
$operation = "$($actionContext.Operation)".ToLowerInvariant()
$action = 'grant'
$auditAction = 'GrantPermission'
if ($operation -eq 'update') { $auditAction = 'UpdatePermission' }
if ($operation -eq 'revoke') {
    $action = 'revoke'
    $auditAction = 'RevokePermission'
}
try {
    $kit = Join-Path (Join-Path $actionContext.Configuration.ConnectorPath 'helloid') 'InPlanningConnector.psm1'
    Import-Module $kit -Force
    Invoke-InPlanningTarget -Action $action -ActionContext $actionContext -PersonContext $personContext -OutputContext $outputContext
}
catch {
    $outputContext.Success = $false
    $outputContext.AuditLogs.Add([pscustomobject]@{
            Action  = $auditAction
            Message = "The InPlanning connector could not run: $($_.Exception.Message)"
            IsError = $true
        })
}

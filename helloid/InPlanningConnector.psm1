#requires -Version 5.1
<#
.SYNOPSIS
    The one piece of PowerShell the HelloID scripts of the InPlanning connector share.

.DESCRIPTION
    Each HelloID script imports this module and calls one function. The function hands the
    engine's context to the `inplanning` CLI as JSON on stdin, waits for it, writes the CLI's log
    to the HelloID log, and copies the CLI's answer onto the engine's objects. Everything about
    InPlanning itself (requests, retries, tokens, role writes) happens in the CLI.

    Works in Windows PowerShell 5.1 and PowerShell 7.
#>

Set-StrictMode -Version 3.0

# Settings that belong to this kit; the CLI ignores them.
$script:KitKeys = @('ConnectorPath', 'NodePath', 'MappingFile', 'PermissionsFile', 'TimelineFile')

# The actions whose data the CLI can compute from a fieldMapping.json of its own (--mapping).
$script:MappedActions = @('create', 'update', 'enable', 'disable', 'delete')

# The actions that read the permission catalogue (--permissions).
$script:CatalogueActions = @('grant', 'revoke', 'permissions', 'import-permissions')

# HelloID stops an account action after 30 seconds and a source import after 60 minutes.
$script:ActionSlackSeconds = 4
$script:ImportTimeoutSeconds = 55 * 60

$script:Utf8 = New-Object System.Text.UTF8Encoding($false)

function Invoke-InPlanningTarget {
    <#
    .SYNOPSIS
        Runs `inplanning target <Action> --context -` and copies its answer onto $OutputContext.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [ValidateSet('create', 'update', 'enable', 'disable', 'delete', 'grant', 'revoke', 'permissions')]
        [string] $Action,

        [Parameter(Mandatory)]
        [object] $ActionContext,

        [object] $PersonContext,

        [Parameter(Mandatory)]
        [object] $OutputContext
    )

    $configuration = $ActionContext.Configuration
    $arguments = @('target', $Action, '--context', '-') + @(Get-FileArguments $Action $configuration)
    $contextJson = ConvertTo-ContextJson -ActionContext $ActionContext -PersonContext $PersonContext
    $deadline = Get-IntegerSetting $configuration 'DeadlineSeconds' 25

    Write-Log "InPlanning: running target $Action."
    $run = Invoke-Cli -Configuration $configuration -Arguments $arguments -InputText $contextJson `
        -TimeoutSeconds ($deadline + $script:ActionSlackSeconds)
    Write-CliLog -Text $run.Stderr -Configuration $configuration

    $answer = Read-OutputContext -Stdout $run.Stdout
    if ($null -eq $answer) {
        $answer = [pscustomobject]@{
            Success   = $false
            AuditLogs = @([pscustomobject]@{
                    Action  = Get-AuditAction $Action
                    Message = "The InPlanning connector gave no answer (exit code $($run.ExitCode)); see the log."
                    IsError = $true
                })
        }
    }
    $success = ($run.ExitCode -eq 0) -and ((Get-Property $answer 'Success') -eq $true)
    if ($Action -eq 'permissions' -and -not $success) {
        # A permissions script has no audit log: a failed listing must fail loudly.
        throw "InPlanning: the permission catalogue could not be listed: $(Get-AuditMessages $answer)"
    }
    Copy-OutputContext -Answer $answer -OutputContext $OutputContext -Success $success
}

function Invoke-InPlanningImport {
    <#
    .SYNOPSIS
        Runs `inplanning target import-accounts|import-permissions --context -` and writes each
        row it prints to the pipeline, or throws when the import did not complete.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [ValidateSet('import-accounts', 'import-permissions')]
        [string] $Action,

        [Parameter(Mandatory)]
        [object] $ActionContext
    )

    $configuration = $ActionContext.Configuration
    $arguments = @('target', $Action, '--context', '-', '--format', 'ndjson') +
        @(Get-FileArguments $Action $configuration)
    $contextJson = ConvertTo-ContextJson -ActionContext $ActionContext -PersonContext $null

    Write-Log "InPlanning: running target $Action."
    $run = Invoke-Cli -Configuration $configuration -Arguments $arguments -InputText $contextJson `
        -TimeoutSeconds $script:ImportTimeoutSeconds
    Write-CliLog -Text $run.Stderr -Configuration $configuration
    if ($run.ExitCode -ne 0) {
        throw "InPlanning: target $Action failed with exit code $($run.ExitCode); nothing was imported. See the log."
    }

    $rows = @(Get-Lines $run.Stdout)
    Write-Log "InPlanning: target $Action returned $($rows.Count) rows."
    foreach ($line in $rows) {
        Write-Output ($line | ConvertFrom-Json)
    }
}

function Invoke-InPlanningSource {
    <#
    .SYNOPSIS
        Runs `inplanning source persons|departments` and writes each JSON line it prints to the
        pipeline as a string, or throws (failing the whole import) when the read did not complete.
    #>
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [ValidateSet('persons', 'departments')]
        [string] $Kind,

        # The source system's settings: HelloID's $configuration, parsed.
        [Parameter(Mandatory)]
        [object] $Configuration
    )

    $arguments = @('source', $Kind, '--format', 'ndjson')
    $timeline = Get-Setting $Configuration 'TimelineFile'
    if ($Kind -eq 'persons' -and $timeline) { $arguments += @('--timeline', $timeline) }

    Write-Log "InPlanning: running source $Kind."
    # A source has no context to send: the settings travel as INPLANNING_* variables instead.
    $run = Invoke-Cli -Configuration $Configuration -Arguments $arguments -InputText '' `
        -TimeoutSeconds $script:ImportTimeoutSeconds -SettingsInEnvironment
    Write-CliLog -Text $run.Stderr -Configuration $Configuration
    if ($run.ExitCode -ne 0) {
        # Fail closed: a partial read would end the contracts (and the access) of everyone left out.
        throw "InPlanning: source $Kind failed with exit code $($run.ExitCode); the import is stopped. See the log."
    }

    $rows = @(Get-Lines $run.Stdout)
    Write-Log "InPlanning: source $Kind returned $($rows.Count) rows."
    foreach ($line in $rows) {
        Write-Output $line
    }
}

# ---- running the CLI -----------------------------------------------------------------------

function Invoke-Cli {
    param (
        [object] $Configuration,
        [string[]] $Arguments,
        [string] $InputText,
        [int] $TimeoutSeconds,
        [switch] $SettingsInEnvironment
    )

    $connectorPath = Get-Setting $Configuration 'ConnectorPath'
    if (-not $connectorPath) { throw 'InPlanning: the setting ConnectorPath is empty.' }
    $cli = Join-Path (Join-Path $connectorPath 'bin') 'inplanning.js'
    if (-not (Test-Path -LiteralPath $cli)) {
        throw "InPlanning: the CLI was not found at $cli; check ConnectorPath and that the connector is built."
    }
    $node = Get-Setting $Configuration 'NodePath'
    if (-not $node) { $node = 'node' }

    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $node
    $startInfo.Arguments = (@($cli) + $Arguments | ForEach-Object { ConvertTo-ProcessArgument $_ }) -join ' '
    $startInfo.WorkingDirectory = $connectorPath
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.StandardOutputEncoding = $script:Utf8
    $startInfo.StandardErrorEncoding = $script:Utf8
    if ($SettingsInEnvironment) { Set-SettingsEnvironment $startInfo $Configuration }

    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        # Read both streams while writing stdin, so that neither pipe can fill up and block.
        $stdoutTask = $process.StandardOutput.ReadToEndAsync()
        $stderrTask = $process.StandardError.ReadToEndAsync()
        try {
            $writer = New-Object System.IO.StreamWriter($process.StandardInput.BaseStream, $script:Utf8)
            $writer.Write($InputText)
            $writer.Close()
        }
        catch [System.IO.IOException] {
            # The CLI ended without reading its input; its exit code and log say why.
            Write-Verbose "InPlanning: the CLI did not read its input: $($_.Exception.Message)"
        }

        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "InPlanning: the CLI did not finish within $TimeoutSeconds seconds and was stopped."
        }
        $process.WaitForExit()
        return [pscustomobject]@{
            ExitCode = $process.ExitCode
            Stdout   = $stdoutTask.Result
            Stderr   = $stderrTask.Result
        }
    }
    finally {
        $process.Dispose()
    }
}

function Get-FileArguments ([string] $Action, [object] $Configuration) {
    $arguments = @()
    $mapping = Get-Setting $Configuration 'MappingFile'
    if ($mapping -and $script:MappedActions -contains $Action) { $arguments += @('--mapping', $mapping) }
    $permissions = Get-Setting $Configuration 'PermissionsFile'
    if ($permissions -and $script:CatalogueActions -contains $Action) {
        $arguments += @('--permissions', $permissions)
    }
    return $arguments
}

# Quotes one argument the way the C runtime (and so node) splits a Windows command line.
function ConvertTo-ProcessArgument ([string] $Value) {
    if ($Value -ne '' -and $Value -notmatch '[\s"]') { return $Value }
    $escaped = $Value -replace '(\\*)"', '$1$1\"'
    $escaped = $escaped -replace '(\\+)$', '$1$1'
    return '"' + $escaped + '"'
}

# Hands every setting except the kit's own to the child as INPLANNING_<UPPER_SNAKE> variables.
function Set-SettingsEnvironment ([System.Diagnostics.ProcessStartInfo] $StartInfo, [object] $Configuration) {
    foreach ($entry in @(Get-Entries $Configuration)) {
        if ($script:KitKeys -contains $entry.Name) { continue }
        if ($null -eq $entry.Value -or "$($entry.Value)" -eq '') { continue }
        $name = 'INPLANNING_' + ($entry.Name -creplace '([a-z0-9])([A-Z])', '$1_$2').ToUpperInvariant()
        $StartInfo.EnvironmentVariables[$name] = "$($entry.Value)"
    }
}

# ---- what goes in and what comes out -------------------------------------------------------

function ConvertTo-ContextJson ([object] $ActionContext, [object] $PersonContext) {
    # An action without a person (an import, a reconciliation) still sends an object.
    if ($null -eq $PersonContext) { $PersonContext = @{} }
    $invocation = [ordered]@{ actionContext = $ActionContext; personContext = $PersonContext }
    $json = $invocation | ConvertTo-Json -Depth 50 -Compress
    # Windows PowerShell writes a DateTime as "\/Date(<ms>)\/"; the CLI reads ISO 8601.
    return [regex]::Replace($json, '"\\/Date\((-?\d+)(?:[+-]\d{4})?\)\\/"', {
            param ($match)
            $instant = [DateTimeOffset]::FromUnixTimeMilliseconds([long]$match.Groups[1].Value)
            '"' + $instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'") + '"'
        })
}

function Read-OutputContext ([string] $Stdout) {
    $text = $Stdout.Trim()
    if (-not $text.StartsWith('{')) { return $null }
    try { return $text | ConvertFrom-Json } catch { return $null }
}

# Copies property by property: HelloID's object cannot be replaced, and each kind of script
# gets an object with only the properties that apply to it.
function Copy-OutputContext ([object] $Answer, [object] $OutputContext, [bool] $Success) {
    if (Test-Property $OutputContext 'Success') { $OutputContext.Success = $Success }
    foreach ($log in @(Get-Property $Answer 'AuditLogs')) {
        if ($null -eq $log -or -not (Test-Property $OutputContext 'AuditLogs')) { continue }
        [void]$OutputContext.AuditLogs.Add([pscustomobject]@{
                Action  = Get-Property $log 'Action'
                Message = Get-Property $log 'Message'
                IsError = [bool](Get-Property $log 'IsError')
            })
    }
    if (Test-Property $Answer 'AccountReference') { $OutputContext.AccountReference = $Answer.AccountReference }
    if (Test-Property $Answer 'AccountCorrelated') { $OutputContext.AccountCorrelated = [bool]$Answer.AccountCorrelated }
    if (Test-Property $Answer 'Data') { $OutputContext.Data = $Answer.Data }
    if (Test-Property $Answer 'PreviousData') { $OutputContext.PreviousData = $Answer.PreviousData }
    foreach ($sub in @(Get-Property $Answer 'SubPermissions')) {
        if ($null -eq $sub -or -not (Test-Property $OutputContext 'SubPermissions')) { continue }
        [void]$OutputContext.SubPermissions.Add([pscustomobject]@{
                DisplayName = Get-Property $sub 'DisplayName'
                Reference   = [pscustomobject]@{ Id = Get-Property (Get-Property $sub 'Reference') 'Id' }
            })
    }
    foreach ($permission in @(Get-Property $Answer 'Permissions')) {
        if ($null -eq $permission -or -not (Test-Property $OutputContext 'Permissions')) { continue }
        [void]$OutputContext.Permissions.Add(@{
                DisplayName    = Get-Property $permission 'DisplayName'
                Identification = @{
                    Reference = Get-Property (Get-Property $permission 'Identification') 'Reference'
                }
            })
    }
}

function Get-AuditMessages ([object] $Answer) {
    $messages = foreach ($log in @(Get-Property $Answer 'AuditLogs')) { Get-Property $log 'Message' }
    return (@($messages) | Where-Object { $_ }) -join ' '
}

function Get-AuditAction ([string] $Action) {
    switch ($Action) {
        'create' { 'CreateAccount' }
        'update' { 'UpdateAccount' }
        'enable' { 'EnableAccount' }
        'disable' { 'DisableAccount' }
        'delete' { 'DeleteAccount' }
        'grant' { 'GrantPermission' }
        'revoke' { 'RevokePermission' }
        default { 'ListPermissions' }
    }
}

# ---- the CLI's log -------------------------------------------------------------------------

# Writes the CLI's stderr to the HelloID log: warnings and errors as warnings, the rest as
# information. The CLI redacts secrets itself; the client secret is scrubbed here once more.
function Write-CliLog ([string] $Text, [object] $Configuration) {
    $secret = Get-Setting $Configuration 'ClientSecret'
    foreach ($line in @(Get-Lines $Text)) {
        if ($secret -and $secret.Length -ge 4) { $line = $line.Replace($secret, '[redacted]') }
        $entry = $null
        if ($line.StartsWith('{')) {
            try { $entry = $line | ConvertFrom-Json } catch { $entry = $null }
        }
        if ($null -eq $entry) {
            Write-Warning $line
            continue
        }
        $message = "InPlanning: $(Get-Property $entry 'msg')"
        $cause = Get-Property (Get-Property $entry 'err') 'message'
        if ($cause) { $message += " ($cause)" }
        switch ("$(Get-Property $entry 'level')") {
            { $_ -in @('warn', 'error', 'fatal') } { Write-Warning $message }
            { $_ -in @('debug', 'trace') } { Write-Verbose $message }
            default { Write-Log $message }
        }
    }
}

# ---- small helpers -------------------------------------------------------------------------

# Information shows in the HelloID log whatever the calling script's preference is.
function Write-Log ([string] $Message) {
    Write-Information -MessageData $Message -InformationAction Continue
}

function Get-Lines ([string] $Text) {
    if (-not $Text) { return }
    foreach ($line in ($Text -split "\r?\n")) {
        if ($line.Trim() -ne '') { $line }
    }
}

# The three helpers below read objects and dictionaries alike, as HelloID may hand either.
function Test-Property ([object] $Object, [string] $Name) {
    if ($null -eq $Object) { return $false }
    if ($Object -is [System.Collections.IDictionary]) { return $Object.Contains($Name) }
    return $null -ne $Object.PSObject.Properties[$Name]
}

function Get-Property ([object] $Object, [string] $Name) {
    if (-not (Test-Property $Object $Name)) { return $null }
    if ($Object -is [System.Collections.IDictionary]) { return $Object[$Name] }
    return $Object.PSObject.Properties[$Name].Value
}

function Get-Entries ([object] $Object) {
    if ($null -eq $Object) { return }
    if ($Object -is [System.Collections.IDictionary]) {
        foreach ($key in $Object.Keys) { [pscustomobject]@{ Name = "$key"; Value = $Object[$key] } }
        return
    }
    foreach ($property in $Object.PSObject.Properties) {
        [pscustomobject]@{ Name = $property.Name; Value = $property.Value }
    }
}

function Get-Setting ([object] $Configuration, [string] $Name) {
    $value = Get-Property $Configuration $Name
    if ($null -eq $value) { return $null }
    return "$value".Trim()
}

function Get-IntegerSetting ([object] $Configuration, [string] $Name, [int] $Default) {
    $parsed = 0
    if ([int]::TryParse((Get-Setting $Configuration $Name), [ref]$parsed) -and $parsed -gt 0) { return $parsed }
    return $Default
}

Export-ModuleMember -Function Invoke-InPlanningTarget, Invoke-InPlanningImport, Invoke-InPlanningSource

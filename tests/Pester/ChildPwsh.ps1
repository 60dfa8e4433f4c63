# Dot-sourced by the tests that need a fresh PowerShell process (the README, the install from a repository): runs
# a script file in a child pwsh of the same version as this one, with the environment and folder given, and
# returns its exit code and output once it exits, or fails when it has not exited in time.

# The command that starts this pwsh again: the pwsh executable itself, or `dotnet pwsh.dll` when pwsh runs as the
# .NET tool (then this process is dotnet).
function Get-PwshCommandLine {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    @($process)
}

function Invoke-PwshProcess {
    param(
        [Parameter(Mandatory)] [string] $ScriptPath,
        [Parameter(Mandatory)] [string] $WorkingDirectory,
        [hashtable] $Environment = @{},
        [string[]] $Prefix = @(),
        [int] $TimeoutSeconds = 300
    )
    $commandLine = @($Prefix) + @(Get-PwshCommandLine) + @('-NoProfile', '-NonInteractive', '-File', $ScriptPath)
    $start = [System.Diagnostics.ProcessStartInfo]::new($commandLine[0])
    foreach ($argument in $commandLine | Select-Object -Skip 1) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $start.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }

    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $process.WaitForExit(10000) | Out-Null
            $said = (($stdout.Result, $stderr.Result) -join "`n").Trim() -split "`n" | Select-Object -Last 30
            throw "The child pwsh running $ScriptPath did not exit within $TimeoutSeconds s. Its last lines:`n$($said -join "`n")"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $stdout.GetAwaiter().GetResult()
            Errors   = $stderr.GetAwaiter().GetResult()
        }
    }
    finally {
        $process.Dispose()
    }
}

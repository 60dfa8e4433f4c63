# The module installed as users install it: the packaged module (out/CloudGateway/<version>) is published to a
# local file repository, installed from it with Install-PSResource into a fresh user scope, and imported by name in
# a new pwsh whose PSModulePath holds only that scope. Every child pwsh gets a HOME of its own under $TestDrive, so
# the repository registration and the installed module never reach the real user's profile. The console output of
# both child processes is kept in TestResults/install-transcript.txt.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
    $script:manifestPath = Get-CloudGatewayTestManifest
    $script:package = Split-Path -Parent $manifestPath
    $script:version = Split-Path -Leaf $package
    $script:transcriptPath = Join-Path $PSScriptRoot '../../TestResults/install-transcript.txt'

    # Paths relative to the package, with / separators, for comparing file lists.
    function Get-RelativeFiles([string] $Folder) {
        @(Get-ChildItem -LiteralPath $Folder -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($Folder, $_.FullName).Replace('\', '/') } | Sort-Object)
    }

    # The names of the assemblies a .dll references, read from its metadata without loading it.
    function Get-AssemblyReferences([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $metadata = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            foreach ($handle in $metadata.AssemblyReferences) { $metadata.GetString($metadata.GetAssemblyReference($handle).Name) }
            $pe.Dispose()
        }
        finally { $stream.Dispose() }
    }

    # A script for a child pwsh that echoes each step as a console would (PS> command, then its output).
    function New-StepScript([string] $Path, [string[]] $Steps) {
        $lines = @(
            '$ErrorActionPreference = ''Stop'''
            'function Step([scriptblock] $Command) { "PS> $($Command.ToString().Trim())"; & $Command | Out-String -Width 160 -Stream | Where-Object { $_.Trim() } }'
        ) + @($Steps | ForEach-Object { "Step { $_ }" })
        Set-Content -LiteralPath $Path -Value $lines
    }

    function Quote([string] $Text) { "'$($Text.Replace("'", "''"))'" }
}

Describe 'The packaged module' {
    It 'passes Test-ModuleManifest and carries what a gallery shows' {
        $module = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $module.Name | Should -Be 'CloudGateway'
        "$($module.Version)" | Should -Be $version
        $module.Author | Should -Be 'CloudGateway contributors'
        $module.Description | Should -Not -BeNullOrEmpty
        $module.Tags | Should -Contain 'CloudGateway'
        $module.ProjectUri.AbsoluteUri | Should -Match '^https://'
        $module.LicenseUri.AbsoluteUri | Should -Match '^https://.+/LICENSE$'
        $module.ReleaseNotes | Should -Not -BeNullOrEmpty
        $module.ExportedCmdlets.Count | Should -BeGreaterThan 0
    }

    It 'carries the MIT LICENSE of the repository' {
        $license = Join-Path $package 'LICENSE'
        $license | Should -Exist
        Get-Content -Raw $license | Should -Be (Get-Content -Raw (Join-Path $PSScriptRoot '../../LICENSE'))
        Get-Content -Raw $license | Should -Match '(?s)^MIT License.+Copyright \(c\) \d{4} CloudGateway contributors'
    }

    It 'holds what the module needs and no more' {
        $files = Get-RelativeFiles $package
        $moduleFiles = @($files | Where-Object { $_ -notlike 'service/*' })
        $allowed = '^(CloudGateway\.psd1|CloudGateway\.Format\.ps1xml|CloudGateway\.PowerShell\.dll|CloudGateway\.Loader\.dll|LICENSE|en-US/CloudGateway\.PowerShell\.dll-Help\.xml|en-US/about_CloudGateway\.help\.txt|Dependencies/[^/]+\.dll|Dependencies/runtimes/(linux-x64|linux-arm64|win-x64|osx-x64|osx-arm64)/native/[^/]+)$'
        $moduleFiles | Where-Object { $_ -notmatch $allowed } | Should -BeNullOrEmpty -Because 'the module folder holds only the manifest, format, assemblies, help, LICENSE and the engine''s dependencies'
        $files | Where-Object { $_ -match '\.(pdb|xml)$' -and $_ -ne 'en-US/CloudGateway.PowerShell.dll-Help.xml' } | Should -BeNullOrEmpty -Because 'no symbols and no XML documentation are shipped'
        $files | Where-Object { $_ -like '*.deps.json' -and $_ -notlike 'service/*' } | Should -BeNullOrEmpty
    }

    It 'holds no dependency that the engine does not use' {
        # Microsoft.Data.Sqlite loads SQLitePCLRaw.batteries_v2 by name at run time, so no assembly references it.
        $loadedByName = @('SQLitePCLRaw.batteries_v2')
        $dependencies = @{}
        Get-ChildItem (Join-Path $package 'Dependencies') -Filter *.dll | ForEach-Object { $dependencies[$_.BaseName] = $_.FullName }
        $used = [System.Collections.Generic.HashSet[string]]::new([string[]](@('CloudGateway.Engine') + $loadedByName))
        $pending = [System.Collections.Generic.Queue[string]]::new([string[]]$used)
        while ($pending.Count -gt 0) {
            foreach ($reference in Get-AssemblyReferences $dependencies[$pending.Dequeue()]) {
                if ($dependencies.ContainsKey($reference) -and $used.Add($reference)) { $pending.Enqueue($reference) }
            }
        }
        $dependencies.Keys | Where-Object { -not $used.Contains($_) } | Should -BeNullOrEmpty
    }

    It 'keeps the service runnable: its launcher, assembly, deps.json and runtimeconfig, SQLite for the module''s runtimes' {
        $service = Join-Path $package 'service'
        foreach ($file in 'CloudGateway.Service.dll', 'CloudGateway.Service.deps.json', 'CloudGateway.Service.runtimeconfig.json', 'CloudGateway.Engine.dll') {
            Join-Path $service $file | Should -Exist
        }
        @(Get-ChildItem (Join-Path $service 'runtimes') -Directory).Name | Sort-Object |
            Should -Be @('linux-arm64', 'linux-x64', 'osx-arm64', 'osx-x64', 'win', 'win-x64')
    }
}

Describe 'Install-PSResource CloudGateway from a local repository' {
    BeforeAll {
        $root = Join-Path $TestDrive 'install'
        $home_ = Join-Path $root 'home'
        $repository = Join-Path $root 'repository'
        $null = New-Item -ItemType Directory -Path $home_, $repository
        $script:installedModules = Join-Path $home_ '.local/share/powershell/Modules'
        $environment = @{
            HOME                  = $home_
            USERPROFILE           = $home_
            XDG_DATA_HOME         = Join-Path $home_ '.local/share'
            XDG_CONFIG_HOME       = Join-Path $home_ '.config'
            XDG_CACHE_HOME        = Join-Path $home_ '.cache'
            PSModulePath          = $installedModules
            CLOUDGATEWAY_DATABASE = Join-Path $root 'default.db'
        }

        $publish = Join-Path $root 'publish.ps1'
        New-StepScript $publish @(
            "Register-PSResourceRepository -Name CloudGatewayLocal -Uri $(Quote $repository) -Trusted"
            "Publish-PSResource -Path $(Quote $package) -Repository CloudGatewayLocal"
            "Get-ChildItem $(Quote $repository) | Select-Object Name, Length"
            'Install-PSResource -Name CloudGateway -Repository CloudGatewayLocal -Scope CurrentUser -PassThru | Format-Table Name, Version, Repository, InstalledLocation -AutoSize'
        )
        $script:publishRun = Invoke-PwshProcess -ScriptPath $publish -WorkingDirectory $root -Environment $environment

        $use = Join-Path $root 'use.ps1'
        $database = Join-Path $root 'lab.db'
        New-StepScript $use @(
            '$env:PSModulePath'
            'Get-Module -ListAvailable CloudGateway | Format-Table Name, Version, ModuleBase -AutoSize'
            '((Get-Help about_CloudGateway) -split "`n" | Select-Object -First 6) -join "`n"'
            'Import-Module CloudGateway'
            "Connect-CloudGatewayDatabase -Path $(Quote $database) -PassThru"
            'Add-CloudGateway -Name gw1 -Address gw1.example.net'
            'Get-CloudGateway'
            '(Get-Module CloudGateway).ModuleBase'
            '(Get-Help Add-CloudGateway).Synopsis'
        )
        $script:useRun = Invoke-PwshProcess -ScriptPath $use -WorkingDirectory $root -Environment $environment

        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Parent $transcriptPath)
        Set-Content -LiteralPath $transcriptPath -Value @(
            "# pwsh $($PSVersionTable.PSVersion): publish and install (exit code $($publishRun.ExitCode))"
            $publishRun.Output.TrimEnd()
            $publishRun.Errors.TrimEnd()
            "# a new pwsh, PSModulePath = the fresh user scope only (exit code $($useRun.ExitCode))"
            $useRun.Output.TrimEnd()
            $useRun.Errors.TrimEnd()
        )
    }

    It 'publishes the packaged module and installs it into the fresh user scope' {
        $publishRun.Errors | Should -BeNullOrEmpty
        $publishRun.ExitCode | Should -Be 0
        Join-Path $repository "CloudGateway.$version.nupkg" | Should -Exist
        Join-Path $installedModules "CloudGateway/$version/CloudGateway.psd1" | Should -Exist
    }

    It 'installs exactly the packaged files' {
        $installed = Get-RelativeFiles (Join-Path $installedModules "CloudGateway/$version") | Where-Object { $_ -ne 'PSGetModuleInfo.xml' }
        $installed | Should -Be (Get-RelativeFiles $package)
    }

    It 'imports by name in a new pwsh and runs the module''s commands there' {
        $useRun.Errors | Should -BeNullOrEmpty
        $useRun.ExitCode | Should -Be 0
        $useRun.Output | Should -Match '(?m)^PS> Import-Module CloudGateway$'
        $useRun.Output | Should -Match '(?m)^gw1\s+.*gw1\.example\.net'
        $useRun.Output | Should -Match ([regex]::Escape((Join-Path $installedModules "CloudGateway/$version")))
        $useRun.Output | Should -Match 'Adds a gateway to the configuration'
        $useRun.Output | Should -Match '(?m)^\s+about_CloudGateway\s*$' -Because 'Get-Help finds the about topic of a module on PSModulePath before it is imported'
    }
}

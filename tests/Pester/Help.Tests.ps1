# Get-Help in the real host, for every cmdlet the module exports: it must show what the cmdlet's page in
# docs/cmdlets says (synopsis, description, every parameter's description, every example), and the page must be
# right about the cmdlet (parameters, types, sets, positions, pipeline input, aliases, output types). The pages
# are read here on their own, not through the build's help compiler, so text the compiler dropped is caught.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../CloudGateway.psd1')
    $cmdlets = @($manifest.CmdletsToExport | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
    $script:pages = Join-Path $PSScriptRoot '../../docs/cmdlets'
    $script:commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters

    # Text as a console shows it: markdown links, code spans and strong markers gone, whitespace collapsed.
    function ConvertTo-PlainText([string] $Text) {
        $plain = $Text -replace '\[([^\]]+)\]\([^)\s]*\)', '$1' -replace '`([^`]+)`', '$1' -replace '(\*\*|__)(\S(?:.*?\S)?)\1', '$2'
        ($plain -replace '\\([\\`*_{}\[\]()#+\-.!<>|])', '$1' -replace '\s+', ' ').Trim()
    }

    # The sections of a page at one heading level ('## ' or '### '), outside code fences, each with its lines.
    function Split-HelpPage([string[]] $Lines, [string] $Marker) {
        $sections = [ordered]@{}
        $current = $null
        $inFence = $false
        foreach ($line in $Lines) {
            if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence }
            if (-not $inFence -and $line.StartsWith($Marker) -and -not $line.StartsWith("$Marker#")) {
                $current = $line.Substring($Marker.Length).Trim()
                $sections[$current] = [System.Collections.Generic.List[string]]::new()
                continue
            }
            if ($null -ne $current) { $sections[$current].Add($line) }
        }
        $sections
    }

    # The paragraphs of some lines (code fences left out), and the code of their fences.
    function Get-Paragraphs([string[]] $Lines) {
        $paragraphs = [System.Collections.Generic.List[string]]::new()
        $text = ''
        $inFence = $false
        foreach ($line in $Lines + '') {
            if ($line -match '^\s*(```|~~~)') { $inFence = -not $inFence; continue }
            if ($inFence) { continue }
            if ($line.Trim()) { $text += " $line" }
            elseif ($text) { $paragraphs.Add((ConvertTo-PlainText $text)); $text = '' }
        }
        , $paragraphs
    }

    function Get-Fences([string[]] $Lines) {
        $fences = [System.Collections.Generic.List[string]]::new()
        $code = $null
        foreach ($line in $Lines) {
            if ($line -match '^\s*(```|~~~)') {
                if ($null -eq $code) { $code = [System.Collections.Generic.List[string]]::new() }
                else { $fences.Add(($code -join "`n").TrimEnd()); $code = $null }
                continue
            }
            if ($null -ne $code) { $code.Add($line) }
        }
        , $fences
    }

    function Read-HelpPage([string] $Name) {
        $sections = Split-HelpPage (Get-Content -LiteralPath (Join-Path $script:pages "$Name.md")) '## '
        $parameters = [ordered]@{}
        $parameterSections = Split-HelpPage $sections['PARAMETERS'] '### '
        foreach ($heading in $parameterSections.Keys | Where-Object { $_ -like '-*' }) {
            $before = $parameterSections[$heading] | ForEach-Object -Begin { $seen = $false } -Process {
                if ($_ -match '^\s*```yaml') { $seen = $true }
                if (-not $seen) { $_ }
            }
            $parameters[$heading.Substring(1)] = Get-Paragraphs @($before)
        }
        $exampleSections = Split-HelpPage $sections['EXAMPLES'] '### '
        [pscustomobject]@{
            Synopsis    = (Get-Paragraphs $sections['SYNOPSIS']) -join ' '
            Description = Get-Paragraphs $sections['DESCRIPTION']
            Parameters  = $parameters
            Examples    = @($exampleSections.Keys | ForEach-Object {
                    [pscustomobject]@{
                        Title   = $_
                        Code    = (Get-Fences $exampleSections[$_]) -join "`n`n"
                        Remarks = Get-Paragraphs $exampleSections[$_]
                    }
                })
        }
    }

    function Get-TypeName([type] $Type) {
        $underlying = [Nullable]::GetUnderlyingType($Type)
        if ($underlying) { $underlying.Name } else { $Type.Name }
    }

    function Get-PipelineInput($Parameter) {
        $ways = @(if ($Parameter.ValueFromPipeline) { 'ByValue' }; if ($Parameter.ValueFromPipelineByPropertyName) { 'ByPropertyName' })
        if ($ways) { "True ($($ways -join ', '))" } else { 'False' }
    }

    # "True (ByPropertyName, ByValue)" and "True (ByValue, ByPropertyName)" say the same.
    function Format-PipelineInput([string] $Text) {
        if ($Text -match '^True \((.+)\)$') { "True ($((($Matches[1] -split ',\s*') | Sort-Object -Descending) -join ', '))" } else { $Text }
    }

    function Get-Position($Parameter) {
        if ($Parameter.Position -eq [int]::MinValue) { 'named' } else { "$($Parameter.Position)" }
    }

    # The parameters a user can give in a parameter set: everything but the common parameters.
    function Get-SetParameters($ParameterSet) {
        @($ParameterSet.Parameters | Where-Object { $_.Name -notin $script:commonParameters })
    }
}

Describe 'Help of the module' {
    It 'exports exactly the cmdlets of the manifest, so the help tests below cover every one' {
        $exported = @((Get-Module CloudGateway).ExportedCmdlets.Keys | Sort-Object)
        $exported | Should -Be @((Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../CloudGateway.psd1')).CmdletsToExport | Sort-Object)
    }

    It 'shows about_CloudGateway with each concept of the module' {
        $about = Get-Help about_CloudGateway | Out-String
        $about | Should -Match 'about_CloudGateway'
        foreach ($concept in 'GATEWAYS', 'POOLS', 'TENANTS', 'RESOURCES', 'THE RELAY', 'THE TENANT SIDE', 'THE NETWORK EXTENSION APPLIANCE') {
            $about | Should -Match "(?m)^\s*$concept\s*$" -Because "about_CloudGateway explains $concept"
        }
        (Get-Help about_CloudGateway -Full | Out-String) | Should -Match 'SHORT DESCRIPTION'
    }
}

Describe 'Get-Help <_>' -ForEach $cmdlets {
    BeforeAll {
        $name = $_
        $command = Get-Command -Name $name -Module CloudGateway
        $help = Get-Help -Name $name -Full
        $page = Read-HelpPage $name
        $rendered = ConvertTo-PlainText (Get-Help -Name $name -Full | Out-String -Width 8192)
        $helpParameters = @{}
        foreach ($parameter in $help.parameters.parameter) { $helpParameters[$parameter.name] = $parameter }
        $userParameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $script:commonParameters })
    }

    It 'comes from the module''s MAML file in en-US' {
        Split-Path -Leaf $command.HelpFile | Should -Be 'CloudGateway.PowerShell.dll-Help.xml'
        Join-Path $command.Module.ModuleBase 'en-US/CloudGateway.PowerShell.dll-Help.xml' | Should -Exist
        $help.ModuleName | Should -Be 'CloudGateway'
    }

    It 'shows the synopsis and the description of its page' {
        $page.Synopsis | Should -Not -BeNullOrEmpty
        $page.Synopsis | Should -Not -Match '\{\{'
        $help.Synopsis | Should -Not -Match "^\s*$name\s+\[" -Because 'a generated synopsis (the syntax) means the help file was not read'
        ConvertTo-PlainText $help.Synopsis | Should -Be $page.Synopsis
        $page.Description.Count | Should -BeGreaterThan 0
        ($help.description.Text | ForEach-Object { ConvertTo-PlainText $_ }) -join ' ' | Should -Be ($page.Description -join ' ')
        $rendered | Should -BeLikeExactly "*$($page.Synopsis)*"
        foreach ($paragraph in $page.Description) { $rendered.Contains($paragraph) | Should -BeTrue -Because "Get-Help -Full shows: $paragraph" }
    }

    It 'describes every parameter of the cmdlet, and only those, as its page does' {
        @($page.Parameters.Keys | Sort-Object) | Should -Be @($userParameters.Name | Sort-Object)
        @($helpParameters.Keys | Sort-Object) | Should -Be @($userParameters.Name | Sort-Object)
        foreach ($parameter in $userParameters) {
            $text = $page.Parameters[$parameter.Name]
            $text.Count | Should -BeGreaterThan 0 -Because "-$($parameter.Name) has a description"
            ($text -join ' ') | Should -Not -Match '\{\{'
            ($helpParameters[$parameter.Name].description.Text | ForEach-Object { ConvertTo-PlainText $_ }) -join ' ' | Should -Be ($text -join ' ')
            foreach ($paragraph in $text) { $rendered.Contains($paragraph) | Should -BeTrue -Because "Get-Help -Full shows -$($parameter.Name): $paragraph" }
        }
    }

    It 'gives each parameter the cmdlet''s type, accepted values and aliases' {
        foreach ($parameter in $userParameters) {
            $documented = $helpParameters[$parameter.Name]
            $documented.type.name | Should -Be (Get-TypeName $parameter.ParameterType) -Because "-$($parameter.Name)'s type"
            $type = [Nullable]::GetUnderlyingType($parameter.ParameterType) ?? $parameter.ParameterType
            if ($type.IsEnum) {
                @($documented.parameterValueGroup.parameterValue) | Should -Be @([enum]::GetNames($type)) -Because "-$($parameter.Name) accepts the values of $($type.Name)"
            }
            $aliases = if ($documented.aliases -eq 'none') { @() } else { @($documented.aliases -split ',\s*') }
            ($aliases -join ', ') | Should -Be (@($parameter.Aliases) -join ', ') -Because "-$($parameter.Name)'s aliases"
            if ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) {
                $documented.globbing | Should -Be 'true' -Because "-$($parameter.Name) supports wildcards"
            }
        }
    }

    It 'shows one syntax per parameter set, each parameter required, placed and piped as in that set' {
        $syntaxItems = @($help.syntax.syntaxItem)
        $syntaxItems.Count | Should -Be $command.ParameterSets.Count
        foreach ($set in $command.ParameterSets) {
            $names = @((Get-SetParameters $set).Name | Sort-Object)
            $item = $syntaxItems | Where-Object { (@($_.parameter.name | Sort-Object) -join ',') -eq ($names -join ',') }
            $item | Should -Not -BeNullOrEmpty -Because "the help shows the parameter set $($set.Name) ($($names -join ', '))"
            foreach ($parameter in Get-SetParameters $set) {
                $documented = $item.parameter | Where-Object name -EQ $parameter.Name
                $documented.required | Should -Be "$($parameter.IsMandatory)".ToLowerInvariant() -Because "-$($parameter.Name) in $($set.Name) is required or not"
                $documented.position | Should -Be (Get-Position $parameter) -Because "-$($parameter.Name)'s position in $($set.Name)"
                Format-PipelineInput $documented.pipelineInput | Should -Be (Get-PipelineInput $parameter) -Because "-$($parameter.Name)'s pipeline input in $($set.Name)"
            }
        }
    }

    It 'shows every example of its page, with its code and what it says' {
        $page.Examples.Count | Should -BeGreaterThan 0
        $examples = @($help.examples.example)
        $examples.Count | Should -Be $page.Examples.Count
        for ($i = 0; $i -lt $page.Examples.Count; $i++) {
            $expected = $page.Examples[$i]
            $expected.Code | Should -Not -BeNullOrEmpty -Because "$($expected.Title) has code"
            $examples[$i].code.Trim() | Should -Be $expected.Code
            $examples[$i].title | Should -Match ([regex]::Escape($expected.Title))
            $rendered.Contains((ConvertTo-PlainText $expected.Code)) | Should -BeTrue -Because "Get-Help -Full shows the code of $($expected.Title)"
            foreach ($paragraph in $expected.Remarks) { $rendered.Contains($paragraph) | Should -BeTrue -Because "Get-Help -Full shows: $paragraph" }
        }
    }

    It 'names every output type the cmdlet declares' {
        $documented = @($help.returnValues.returnValue.type.name)
        foreach ($type in $command.OutputType.Name) {
            $shown = if ($type -eq 'System.Void') { 'None' } else { $type }
            $documented | Should -Contain $shown -Because "$name declares [OutputType($type)]"
        }
    }
}

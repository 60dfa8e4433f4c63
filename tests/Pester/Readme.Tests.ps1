# README.md runs as written: its ```powershell blocks, in order, in one fresh pwsh, from a temporary folder whose
# ./out is the packaged module. Only what cannot run unattended is replaced, through $Substitutions below; each
# entry must still match the README, so the list cannot go stale either.
#
# The blocks use the network as a reader's machine has it (gw1.example.net, 203.0.113.10:443 behind a NAT, ports
# 6180 and 2500, an eth0 with a default gateway, an eth1 for the appliance, root for the appliance). Rather than
# rewrite those, the child pwsh runs in a private Linux network and mount namespace that has them: gw1.example.net
# resolves to the loopback (a private /etc/hosts), 203.0.113.10 is a loopback address whose port 443 is forwarded
# to 6181 as the NAT device would, eth0 sits on 192.0.2.10/24 with a default route via 192.0.2.1, eth1 exists, and
# /run is private. Nothing binds, routes or writes outside the namespace and the temporary folder.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    . (Join-Path $PSScriptRoot 'ChildPwsh.ps1')
    $script:readmePath = Join-Path $PSScriptRoot '../../README.md'

    # What cannot run unattended, and what runs instead. Everything else runs exactly as README.md shows it.
    $script:Substitutions = @(
        @{
            Readme  = '(Get-Credential contoso)'
            Instead = '([pscredential]::new(''contoso'', (ConvertTo-SecureString ''Readme-test-Passw0rd'' -AsPlainText -Force)))'
            Why     = 'Get-Credential prompts for the password.'
        }
        @{
            Readme  = "-CertificateThumbprint 'AB:CD:...'"
            Instead = '-CertificateThumbprint (Get-CloudGatewayCertificate).Thumbprint'
            Why     = 'the README elides the thumbprint the provider hands its tenants.'
        }
        @{
            Readme  = 'Register-CloudGatewayService -DatabasePath /var/lib/cloudgateway/cloudgateway.db'
            Instead = 'Register-CloudGatewayService -DatabasePath /var/lib/cloudgateway/cloudgateway.db -UnitPath ./cloudgateway.service -NoStart -Confirm:$false'
            Why     = 'it writes /etc/systemd/system, starts the unit with systemctl and asks for confirmation; the unit is written into the test folder instead.'
        }
    )

    # The README's PowerShell blocks in order, each with the line its code starts on.
    function Get-ReadmeBlocks([string] $Path) {
        $text = (Get-Content -Raw -LiteralPath $Path) -replace "`r`n", "`n"
        foreach ($match in [regex]::Matches($text, '(?ms)^```powershell\n(.*?)^```')) {
            [pscustomobject]@{
                Line = $text.Substring(0, $match.Index).Split("`n").Count + 1
                Code = $match.Groups[1].Value.TrimEnd()
            }
        }
    }

    # The command that runs a program in a private network and mount namespace: as root, or through a user namespace.
    function Get-NamespacePrefix {
        if (-not $IsLinux) { return $null }
        foreach ($tool in 'unshare', 'ip', 'nft', 'mount') {
            if (-not (Get-Command $tool -CommandType Application -ErrorAction SilentlyContinue)) { return $null }
        }
        $isRoot = (id -u) -eq '0'
        $prefix = if ($isRoot) { @('unshare', '--net', '--mount', '--fork') } else { @('unshare', '--user', '--map-root-user', '--net', '--mount', '--fork') }
        & $prefix[0] ($prefix[1..($prefix.Count - 1)] + @('true')) 2>$null
        if ($LASTEXITCODE -ne 0) { return $null }
        $prefix
    }
}

Describe 'README.md' {
    BeforeAll {
        $blocks = @(Get-ReadmeBlocks $readmePath)
        $script:namespacePrefix = Get-NamespacePrefix
        $script:folder = Join-Path $TestDrive 'readme'
        $null = New-Item -ItemType Directory -Path $folder
        $package = Split-Path -Parent (Get-CloudGatewayTestManifest)
        # ./out/CloudGateway/<version>/ as the README imports it: the packaged module, not a copy.
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'out') -Target (Split-Path -Parent (Split-Path -Parent $package))

        # Each statement's output is formatted on its own, as the console does for each line typed at the prompt.
        $script:unmatched = @($Substitutions.Readme | Where-Object { $readme = $_; -not ($blocks.Code | Where-Object { $_.Contains($readme) }) })
        $script:parseErrors = @()
        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.Add('$ErrorActionPreference = ''Stop''')
        foreach ($block in $blocks) {
            $code = $block.Code
            foreach ($substitution in $Substitutions) { $code = $code.Replace($substitution.Readme, $substitution.Instead) }
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$null, [ref]$errors)
            $parseErrors += @($errors | ForEach-Object { "README.md block at line $($block.Line): $($_.Message)" })
            $lines.Add("'== README.md line $($block.Line)' | Out-Default")
            foreach ($statement in $ast.EndBlock.Statements) {
                $text = $statement.Extent.Text
                $lines.Add($(if ($statement -is [System.Management.Automation.Language.PipelineAst]) { "$text | Out-Default" } else { $text }))
            }
        }
        # Then what the README says happened, read back from the same session.
        $lines.Add("'== after the README' | Out-Default")
        $lines.Add('"prod gateway: $((Get-DefaultGateway -Tenant contoso -Network prod).IPAddress)/$((Get-DefaultGateway -Tenant contoso -Network prod).SubnetMask)"')
        Set-Content -LiteralPath (Join-Path $folder 'readme.ps1') -Value $lines

        $hosts = Join-Path $folder 'hosts'
        Set-Content -LiteralPath $hosts -Value "127.0.0.1 localhost`n::1 localhost`n127.0.0.1 gw1.example.net"
        $namespace = Join-Path $folder 'namespace.sh'
        Set-Content -LiteralPath $namespace -Value @(
            'set -eu'
            'ip link set lo up'
            'ip addr add 203.0.113.10/32 dev lo'
            'ip link add eth0 type veth peer name eth0-peer'
            'ip link add eth1 type veth peer name eth1-peer'
            'for link in eth0 eth0-peer eth1 eth1-peer; do ip link set "$link" up; done'
            'ip addr add 192.0.2.10/24 dev eth0'
            'ip route add default via 192.0.2.1 dev eth0'
            'nft add table ip readme_nat'
            "nft add chain ip readme_nat output '{ type nat hook output priority -100; }'"
            'nft add rule ip readme_nat output ip daddr 203.0.113.10 tcp dport 443 dnat to 203.0.113.10:6181'
            "mount --bind '$hosts' /etc/hosts"
            'mount -t tmpfs tmpfs /run'
            'exec "$@"'
        )

        $script:run = $null
        if ($namespacePrefix) {
            $script:run = Invoke-PwshProcess -ScriptPath (Join-Path $folder 'readme.ps1') -WorkingDirectory $folder `
                -Prefix ($namespacePrefix + @('bash', $namespace)) -Environment @{ CLOUDGATEWAY_DATABASE = Join-Path $folder 'default.db' } -TimeoutSeconds 300
        }
    }

    It 'has PowerShell blocks that parse, and every substitution still matches one of them' {
        $blocks.Count | Should -BeGreaterThan 3
        $parseErrors | Should -BeNullOrEmpty
        $unmatched | Should -BeNullOrEmpty -Because 'a substitution the README no longer needs must leave the list'
    }

    It 'runs every block in order in a fresh pwsh without an error' {
        if (-not $namespacePrefix) {
            $reason = 'it needs Linux with unshare, ip, nft and mount, as root or with user namespaces'
            if ($env:CI -eq 'true') { throw "The README test cannot run: $reason." }
            Set-ItResult -Skipped -Because $reason
            return
        }
        $run.Errors | Should -BeNullOrEmpty -Because "the README ran without an error (output:`n$($run.Output))"
        $run.ExitCode | Should -Be 0
        foreach ($block in $blocks) { $run.Output | Should -Match "== README.md line $($block.Line)" }
    }

    It 'does what the README says it does' {
        if (-not $run -or $run.ExitCode -ne 0) {
            if ($env:CI -eq 'true' -or $namespacePrefix) { throw 'The README did not run; see the test above.' }
            Set-ItResult -Skipped -Because 'the README could not run here'
            return
        }
        $output = $run.Output
        $output | Should -Match '(?m)^contoso\s+True\s+Pools\s+premium' -Because 'Get-CloudTenant lists the tenant in its pool'
        $output | Should -Match '(?m)^sp\s+203\.0\.113\.10\s+443\s+contoso\s+2\b' -Because 'Add-CloudProvider stored the two gateways the relay answered'
        $output | Should -Match '127\.0\.0\.1:2500\s+sp\s+repo1' -Because 'Start-CloudTunnel listens on port 2500'
        $output | Should -Match '(?m)^True\s*$' -Because 'Test-CloudProviderConnection -Quiet reaches the relay the README started'
        $output | Should -Match 'cgbr\d+=prod' -Because 'the appliance made a bridge for network prod'
        $output | Should -Match 'prod gateway: 192\.0\.2\.1/255\.255\.255\.0' -Because 'the production gateway of eth0 became the gateway of network prod'
        Join-Path $folder 'backup.json' | Should -Exist
        Join-Path $folder 'cloudgateway.service' | Should -Exist
        Get-Content -Raw (Join-Path $folder 'cloudgateway.service') | Should -Match '--database /var/lib/cloudgateway/cloudgateway.db'
    }
}

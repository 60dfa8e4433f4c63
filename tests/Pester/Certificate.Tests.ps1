BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule

    function New-TestPfx {
        param([string] $Path, [string] $Password, [string] $Eku = '1.3.6.1.5.5.7.3.1', [int] $Days = 90)
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=imported.example.net', $key, 'SHA256')
        $usages = [System.Security.Cryptography.OidCollection]::new()
        $null = $usages.Add([System.Security.Cryptography.Oid]::new($Eku))
        $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($usages, $false))
        $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
        $names.AddDnsName('*.example.net')
        $request.CertificateExtensions.Add($names.Build())
        $now = [DateTimeOffset]::UtcNow
        $certificate = $request.CreateSelfSigned($now.AddDays(-1), $now.AddDays($Days))
        [System.IO.File]::WriteAllBytes($Path, $certificate.Export('Pfx', $Password))
        $certificate
    }
}

Describe 'Gateway certificate cmdlets' {
    BeforeEach {
        $null = Use-TestDatabase
        $null = Add-CloudGateway -Name gw1 -Address gw1.example.net
        $null = Add-CloudGateway -Name gw2 -Address 192.0.2.10
    }

    It 'creates a self-signed certificate covering every gateway address' {
        $certificate = New-CloudGatewayCertificate
        $certificate.GetType().FullName | Should -Be 'CloudGateway.Certificates.GatewayCertificateInfo'
        $certificate.Thumbprint | Should -Match '^[0-9A-F]{64}$'
        $certificate.DnsNames | Should -Be @('gw1.example.net')
        $certificate.IPAddresses | Should -Be @('192.0.2.10')
        $certificate.UncoveredGateways | Should -BeNullOrEmpty
        ($certificate.NotAfter - [DateTimeOffset]::UtcNow).TotalDays | Should -BeGreaterThan 364
        (Get-CloudGatewayCertificate).Thumbprint | Should -Be $certificate.Thumbprint
    }

    It 'honours -ValidityDays and warns within 30 days of expiry' {
        $null = New-CloudGatewayCertificate -ValidityDays 10
        $certificate = Get-CloudGatewayCertificate -WarningVariable warnings -WarningAction SilentlyContinue
        $certificate.ExpiresSoon | Should -BeTrue
        $warnings | Where-Object { $_ -like '*expires*' } | Should -Not -BeNullOrEmpty
    }

    It 'warns for each gateway whose address the certificate does not cover' {
        $null = New-CloudGatewayCertificate -DnsName '*.example.net'
        $certificate = Get-CloudGatewayCertificate -WarningVariable warnings -WarningAction SilentlyContinue
        $certificate.UncoveredGateways | Should -Be @('gw2')
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*'gw2'*"
    }

    It 'needs -Force to replace a certificate' {
        $first = New-CloudGatewayCertificate
        { New-CloudGatewayCertificate -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateExists,CloudGateway.PowerShell.Commands.NewCloudGatewayCertificateCommand'
        (Get-CloudGatewayCertificate).Thumbprint | Should -Be $first.Thumbprint
        $second = New-CloudGatewayCertificate -Force
        $second.Thumbprint | Should -Not -Be $first.Thumbprint
    }

    It 'reports every invalid name at once' {
        { New-CloudGatewayCertificate -DnsName 'bad name' -IPAddress '1.2.3' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDnsName,CloudGateway.PowerShell.Commands.NewCloudGatewayCertificateCommand'
    }

    It 'changes nothing with -WhatIf' {
        New-CloudGatewayCertificate -WhatIf | Should -BeNullOrEmpty
        { Get-CloudGatewayCertificate -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.GetCloudGatewayCertificateCommand'
    }

    It 'imports a password-protected PFX' {
        $path = Join-Path $TestDrive 'gateway.pfx'
        $original = New-TestPfx -Path $path -Password 'pfx-secret'
        $password = ConvertTo-SecureString 'pfx-secret' -AsPlainText -Force
        $certificate = Set-CloudGatewayCertificate -Path $path -Password $password -WarningVariable warnings -WarningAction SilentlyContinue
        $certificate.Subject | Should -Be 'CN=imported.example.net'
        $certificate.Thumbprint | Should -Be $original.GetCertHashString('SHA256')
        $certificate.UncoveredGateways | Should -Be @('gw2')
        $warnings.Count | Should -Be 1
    }

    It 'takes the PFX from Get-Item through the pipeline' {
        $path = Join-Path $TestDrive 'piped.pfx'
        $null = New-TestPfx -Path $path -Password ''
        (Get-Item $path | Set-CloudGatewayCertificate -WarningAction SilentlyContinue).Subject | Should -Be 'CN=imported.example.net'
    }

    It 'refuses a wrong password, a client-only certificate and a missing file' {
        $path = Join-Path $TestDrive 'gateway.pfx'
        $null = New-TestPfx -Path $path -Password 'pfx-secret'
        $wrong = ConvertTo-SecureString 'wrong' -AsPlainText -Force
        { Set-CloudGatewayCertificate -Path $path -Password $wrong -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateError,CloudGateway.PowerShell.Commands.SetCloudGatewayCertificateCommand'
        $client = Join-Path $TestDrive 'client.pfx'
        $null = New-TestPfx -Path $client -Password '' -Eku '1.3.6.1.5.5.7.3.2'
        { Set-CloudGatewayCertificate -Path $client -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateError,CloudGateway.PowerShell.Commands.SetCloudGatewayCertificateCommand'
        { Set-CloudGatewayCertificate -Path (Join-Path $TestDrive 'missing.pfx') -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.SetCloudGatewayCertificateCommand'
        { Get-CloudGatewayCertificate -ErrorAction Stop } | Should -Throw -ErrorId 'NotFound,CloudGateway.PowerShell.Commands.GetCloudGatewayCertificateCommand'
    }

    It 'keeps the certificate out of configuration exports' {
        $certificate = New-CloudGatewayCertificate
        $export = Join-Path $TestDrive 'export.json'
        Export-CloudGatewayConfiguration -Path $export -Confirm:$false
        $text = Get-Content -Raw $export
        $text | Should -Not -Match 'BEGIN|PRIVATE|MII'
        $text | Should -Not -Match $certificate.Thumbprint
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestModule.ps1')
    Import-CloudGatewayTestModule
    $script:mapping = (Get-Command New-CloudTenant).ImplementingType.Assembly.GetType('CloudGateway.PowerShell.ErrorMapping', $true)
}

Describe 'Error records' {
    It 'gives every engine error code a real category and its own ErrorId' {
        # The engine's types live in the module's own load context, so they are reached through the mapping's signatures.
        $category = $mapping.GetMethod('Category')
        $errorId = $mapping.GetMethod('ErrorId')
        $codeType = $category.GetParameters()[0].ParameterType
        $exceptionType = $errorId.GetParameters()[0].ParameterType
        $codes = [enum]::GetValues($codeType)
        $codes.Count | Should -BeGreaterThan 20
        foreach ($code in $codes) {
            $category.Invoke($null, @($code)) | Should -Not -Be ([System.Management.Automation.ErrorCategory]::NotSpecified) -Because "$code needs a category"
            $exception = [Activator]::CreateInstance($exceptionType, @($code, "a $code failure", $null, $null))
            $errorId.Invoke($null, @($exception)) | Should -Be "$code"
        }
    }

    It 'turns an exception nobody foresaw into an UnexpectedError record that says what to report' {
        $record = $mapping.GetMethod('ToUnexpectedErrorRecord').Invoke($null, @([System.IO.InvalidDataException]::new('bad bytes'), 'gw1'))
        $record.FullyQualifiedErrorId | Should -Be 'UnexpectedError'
        $record.TargetObject | Should -Be 'gw1'
        "$record" | Should -Match 'CloudGateway failed unexpectedly \(InvalidDataException: bad bytes\)'
        "$record" | Should -Match 'Format-List \* -Force'
        $record.Exception.InnerException.GetType().Name | Should -Be 'InvalidDataException'
    }
}

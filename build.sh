#!/usr/bin/env bash
# Sets up, builds and tests CloudGateway on a machine without PowerShell (build.ps1 does the same from pwsh).
#   bash build.sh          restore, build, and lay out the module in out/CloudGateway/<version>/
#   bash build.sh package  lay out the module again from the last build
#   bash build.sh test     the above, then the default test suite (xunit without Category=Long; Pester when pwsh is on PATH)
#   bash build.sh reliability  build, then the long tests (Category=Long: crash safety, leaks, soak, brute force
#                          and timing); a few minutes; see docs/reliability.md for the figures and the knobs
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-build}"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build() {
    dotnet build CloudGateway.sln -c Release --nologo -v quiet
}

# The layout itself lives in build/Module.targets (run after publish), shared with build.ps1.
package() {
    dotnet publish src/CloudGateway.PowerShell/CloudGateway.PowerShell.csproj -c Release --no-build --nologo -v quiet
}

unit_tests() {
    dotnet test tests/Unit/CloudGateway.Tests.csproj -c Release --no-build --nologo -v quiet \
        --logger "console;verbosity=normal" --filter "Category!=Long" "$@"
}

# The long part of the suite (docs/reliability.md): every test marked [Trait("Category", "Long")].
long_tests() {
    dotnet test tests/Unit/CloudGateway.Tests.csproj -c Release --no-build --nologo -v quiet \
        --logger "console;verbosity=detailed" --filter "Category=Long" "$@"
}

pester_tests() {
    if command -v pwsh >/dev/null 2>&1; then
        # A child pwsh, because a loaded module assembly cannot be unloaded; the tests import the module from out/.
        pwsh -NoProfile -NonInteractive -Command "Invoke-Pester -Path tests/Pester -CI"
    else
        echo "Pester: skipped, pwsh is not on PATH on this machine (the cmdlet surface is checked by the xunit metadata tests)."
    fi
}

case "$task" in
    build) build; package ;;
    package) package ;;
    test) build; package; unit_tests; pester_tests ;;
    reliability) build; long_tests ;;
    *) echo "usage: bash build.sh [build|package|test|reliability]" >&2; exit 2 ;;
esac

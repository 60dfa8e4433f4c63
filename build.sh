#!/usr/bin/env bash
# Sets up, builds and tests CloudGateway on a machine without PowerShell (build.ps1 does the same from pwsh).
#   bash build.sh          restore, build, and lay out the module in out/CloudGateway/<version>/
#   bash build.sh package  lay out the module again from the last build
#   bash build.sh test     the above, then the default test suite (xunit without Category=Long, then Pester in pwsh 7.6)
#   bash build.sh reliability  build, then the long tests (Category=Long: crash safety, leaks, soak, brute force
#                          and timing); a few minutes; see docs/reliability.md for the figures and the knobs
#   bash build.sh demo     build, then run the main job on loopback: a relay with two pooled gateways, a tenant tunnel
#                          carrying a few hundred MB, a gateway taken down and the failover; prints what it measured
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

# The relay tests once more on the managed engine (SslStream), which relays where the native engine cannot run
# (Windows, macOS, no OpenSSL 3): both engines pass the same specification.
managed_relay_tests() {
    CLOUDGATEWAY_TEST_RELAY_ENGINE=Managed dotnet test tests/Unit/CloudGateway.Tests.csproj -c Release --no-build --nologo -v quiet \
        --logger "console;verbosity=normal" --filter "Category!=Long&FullyQualifiedName~CloudGateway.Tests.Relay." "$@"
}

# The long part of the suite (docs/reliability.md): every test marked [Trait("Category", "Long")].
long_tests() {
    dotnet test tests/Unit/CloudGateway.Tests.csproj -c Release --no-build --nologo -v quiet \
        --logger "console;verbosity=detailed" --filter "Category=Long" "$@"
}

# The tests that need real servers and tools bring them up themselves: Debian's packages when missing (as root
# with apt-get), and a private PostgreSQL on 127.0.0.1 for the PostgreSQL store and multi-server tests. Without
# them those tests say plainly that they were skipped.
test_prerequisites() {
    local missing=()
    command -v ip >/dev/null 2>&1 || missing+=(iproute2)
    command -v nft >/dev/null 2>&1 || missing+=(nftables)
    command -v sysctl >/dev/null 2>&1 || missing+=(procps)
    command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    if [ "${#missing[@]}" -gt 0 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if [ -z "${CLOUDGATEWAY_TEST_POSTGRES:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        if CLOUDGATEWAY_TEST_POSTGRES="$(bash tests/postgres/start-postgres.sh)"; then
            export CLOUDGATEWAY_TEST_POSTGRES
            trap 'bash tests/postgres/stop-postgres.sh --remove >/dev/null 2>&1 || true' EXIT
        else
            echo "PostgreSQL: could not be started; the PostgreSQL tests will say they were skipped."
        fi
    fi
}

# PowerShell (the .NET tool in .config/dotnet-tools.json) and Pester (build/tools/Pester.csproj) come from NuGet;
# the suite runs in a child pwsh against the packaged module in out/. A missing pwsh or Pester fails the run.
pester_tests() {
    dotnet tool restore >/dev/null
    dotnet restore build/tools/Pester.csproj --nologo -v quiet >/dev/null
    dotnet pwsh -NoProfile -NonInteractive -File build/Invoke-PesterSuite.ps1
}

case "$task" in
    build) build; package ;;
    package) package ;;
    test) build; package; test_prerequisites; unit_tests; managed_relay_tests; pester_tests ;;
    reliability) build; test_prerequisites; long_tests ;;
    demo) build; package; dotnet tool restore >/dev/null; dotnet pwsh -NoProfile -File build/Demo.ps1 ;;
    *) echo "usage: bash build.sh [build|package|test|reliability|demo]" >&2; exit 2 ;;
esac

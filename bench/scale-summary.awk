# The table of bench/scale.sh from its results.txt: one "step=NAME key=value..." line per measurement. A step that ran
# several times (import_module, import_sqlite) is reported by the median of its runs; ratios divide figures measured
# in the same run. Prints markdown: what, goal, measured, ratio or verdict.
{
    step = ""
    for (i = 1; i <= NF; i++) {
        split($i, kv, "=")
        if (kv[1] == "step") { step = kv[2]; runs[step]++; continue }
        key = step "." kv[1]
        values[key, runs[step]] = kv[2]
        count[key] = runs[step]
    }
}

function median(key,    n, i, j, t, a) {
    n = count[key]
    if (n == 0) return ""
    for (i = 1; i <= n; i++) a[i] = values[key, i] + 0
    for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return a[int((n + 1) / 2)]
}

function has(key) { return count[key] > 0 }

function row(what, goal, measured, verdict) { printf "| %s | %s | %s | %s |\n", what, goal, measured, verdict }

function timed(what, key, goal_ms,    v) {
    if (!has(key)) return
    v = median(key)
    row(what, goal_ms == "" ? "-" : "<= " goal_ms " ms", sprintf("%.1f ms", v), goal_ms == "" ? "" : (v <= goal_ms ? "PASS" : "MISS"))
}

function ratio(what, large, small, goal, unit, fmt,    l, s, r, verdict) {
    if (!has(large) || !has(small)) return
    l = median(large); s = median(small)
    r = s > 0 ? l / s : 0
    verdict = sprintf("ratio %.2f", r)
    if (goal != "") verdict = verdict (r <= goal ? " PASS" : " MISS")
    row(what, goal == "" ? "-" : "ratio <= " goal, sprintf(fmt " %s vs " fmt " %s", l, unit, s, unit), verdict)
}

END {
    large = values["estate_sqlite.tenants", 1]; small = values["estate_sqlite_small.tenants", 1]
    printf "Estate: %s tenants (%s resources), %s gateways, %s pools; small estate %s tenants. Medians.\n\n", large, values["estate_sqlite.resources", 1], values["estate_sqlite.gateways", 1], values["estate_sqlite.pools", 1], small
    print "| what | goal | measured | ratio / verdict |"
    print "|---|---|---|---|"
    if (has("estate_sqlite.make_ms"))
        row("make the estate through the engine (SQLite), one change per object", "-", sprintf("%.1f s, peak RSS %.0f MiB", median("estate_sqlite.make_ms") / 1000, median("estate_sqlite.peak_rss_mib")), sprintf("%.2f ms per tenant", median("estate_sqlite.make_per_tenant_ms")))
    if (has("import_sqlite.import_ms"))
        row("Import-CloudGatewayConfiguration of the export (SQLite, fresh pwsh)", "-", sprintf("%.1f s, peak RSS %.0f MiB (%.0f before)", median("import_sqlite.import_ms") / 1000, median("import_sqlite.import_peak_rss_mib"), median("import_sqlite.import_peak_rss_before_mib")), "")
    timed("cold Import-Module (fresh pwsh)", "import_module.import_module_ms", "")
    timed("Get-CloudTenant (all " values["cmdlets.get_tenant_all_objects", 1] ")", "cmdlets.get_tenant_all_ms", 1000)
    timed("Get-CloudTenant -Name 'a*' (" values["cmdlets.get_tenant_a_star_objects", 1] ")", "cmdlets.get_tenant_a_star_ms", 1000)
    timed("Get-CloudTenantResource -Tenant x", "cmdlets.get_tenant_resource_ms", 1000)
    timed("Get-CloudTenantResource (all " values["cmdlets.get_tenant_resource_all_objects", 1] ")", "cmdlets.get_tenant_resource_all_ms", 1000)
    timed("Set-CloudTenant of one tenant", "cmdlets.set_tenant_ms", 50)
    timed("Export-CloudGatewayConfiguration", "cmdlets.export_ms", 1000)
    ratio("relay: one tenant's change seen (store counter reached)", "relay_large.change_seen_ms", "relay_small.change_seen_ms", "", "ms", "%.1f")
    ratio("relay: reload time", "relay_large.reload_ms", "relay_small.reload_ms", "", "ms", "%.2f")
    ratio("relay: reload CPU (idle floor subtracted)", "relay_large.reload_cpu_ms", "relay_small.reload_cpu_ms", "", "ms", "%.2f")
    ratio("relay: reload allocations", "relay_large.reload_alloc_kib", "relay_small.reload_alloc_kib", "", "KiB", "%.0f")
    ratio("relay: admission, hello to answer", "relay_large.hello_us", "relay_small.hello_us", 1.1, "us", "%.0f")
    ratio("relay: admission, TCP + TLS + hello + answer", "relay_large.connect_us", "relay_small.connect_us", 1.1, "us", "%.0f")
    ratio("relay: start", "relay_large.start_ms", "relay_small.start_ms", "", "ms", "%.0f")
    if (has("relay_large.held_kib") && large > small)
        row("relay: managed memory per configured tenant", "-", sprintf("%.2f KiB", (median("relay_large.held_kib") - median("relay_small.held_kib")) / (large - small)), sprintf("%.0f vs %.0f KiB held", median("relay_large.held_kib"), median("relay_small.held_kib")))
    if (has("estate_postgres.make_ms"))
        row("make " values["estate_postgres.tenants", 1] " tenants through the engine (PostgreSQL)", "-", sprintf("%.1f s, peak RSS %.0f MiB", median("estate_postgres.make_ms") / 1000, median("estate_postgres.peak_rss_mib")), sprintf("%.2f ms per tenant", median("estate_postgres.make_per_tenant_ms")))
    if (has("import_postgres.import_ms"))
        row("Import-CloudGatewayConfiguration of the export (PostgreSQL, " values["import_postgres.import_tenants", 1] " tenants)", "-", sprintf("%.1f s, peak RSS %.0f MiB (%.0f before)", median("import_postgres.import_ms") / 1000, median("import_postgres.import_peak_rss_mib"), median("import_postgres.import_peak_rss_before_mib")), "")
    ratio("relay on PostgreSQL: change seen (notification)", "relay_postgres_large.change_seen_ms", "relay_postgres_small.change_seen_ms", "", "ms", "%.1f")
    ratio("relay on PostgreSQL: reload time", "relay_postgres_large.reload_ms", "relay_postgres_small.reload_ms", "", "ms", "%.2f")
    ratio("relay on PostgreSQL: reload allocations", "relay_postgres_large.reload_alloc_kib", "relay_postgres_small.reload_alloc_kib", "", "KiB", "%.0f")
    ratio("relay on PostgreSQL: admission, hello to answer", "relay_postgres_large.hello_us", "relay_postgres_small.hello_us", 1.1, "us", "%.0f")
    if (has("fleet_postgres.relays")) {
        f = "fleet_postgres."
        row(values[f "relays", 1] " relay processes on PostgreSQL (" values[f "tenants", 1] " tenants): one change served by all", "-", sprintf("%.1f ms", median(f "single_change_all_seen_ms")), "runs " values[f "single_change_all_seen_runs_ms", 1] " ms")
        row("the same under changes (asked " values["fleet_postgres.rate", 1] "/s): lag of each change at each relay", "-", sprintf("p50 %.0f ms, p99 %.0f ms, max %.0f ms", median(f "lag_p50_ms"), median(f "lag_p99_ms"), median(f "lag_max_ms")), sprintf("%.1f changes/s made, %.0f reloads per relay", median(f "load_rate"), median(f "reloads_per_relay")))
        row("database load under those changes", "-", sprintf("%.0f%% CPU, %d commits/s, %d rows returned/s", median(f "db_cpu_percent"), median(f "db_commits_per_s"), median(f "db_rows_returned_per_s")), sprintf("relays together %.0f%% CPU", median(f "relays_cpu_percent")))
    }
}

# summarize.awk: one line per target for one test of bench/run.sh's results.tsv (test, target, rep, key=value...).
# Median of the runs; ratio to direct loopback and to HAProxy TLS; the issue 6 target for our gateway.
# Variables: test, order (targets in print order), maxbusy (% above which a run is flagged NOISY).
function kv(s, k,   m) { if (match(s, "(^| )" k "=[^ ]*")) { m = substr(s, RSTART, RLENGTH); sub(/^ /, "", m); sub(k "=", "", m); return m } return "" }
function med(arr, n,   i, j, t) { for (i = 2; i <= n; i++) { t = arr[i]; for (j = i - 1; j >= 1 && arr[j] > t; j--) arr[j+1] = arr[j]; arr[j+1] = t } return (n % 2) ? arr[(n+1)/2] : (arr[n/2] + arr[n/2+1]) / 2 }
function verdict(ok) { return ok ? "PASS" : "MISS" }
$1 == test {
  t = $2; n[t]++; v[t, n[t]] = kv($4, "value") + 0; unit[t] = kv($4, "unit")
  runs[t] = runs[t] (runs[t] == "" ? "" : ",") kv($4, "value")
  if (test ~ /^rtt/) p99[t, n[t]] = kv($4, "p99") + 0
  pb = kv($4, "pre_busy") + 0; if (pb > maxb[t]) maxb[t] = pb
  e = kv($4, "errors"); if (e != "" && e != "0") err[t] += e
  if (test == "idle") conns[t] = kv($4, "conns")
  if (test ~ /cps/) { ru[t] += kv($4, "reused"); ok[t] += kv($4, "ok") }
}
END {
  split(order, ts, " ")
  for (i = 1; i in ts; i++) { t = ts[i]; if (!(t in n)) continue
    delete a; for (k = 1; k <= n[t]; k++) a[k] = v[t, k]; m[t] = med(a, n[t])
    if (test ~ /^rtt/) { delete b; for (k = 1; k <= n[t]; k++) b[k] = p99[t, k]; q[t] = med(b, n[t]) } }
  d = ("direct" in m) ? m["direct"] : 0; h = ("haproxy-tls" in m) ? m["haproxy-tls"] : 0
  for (i = 1; i in ts; i++) { t = ts[i]; if (!(t in n)) continue
    x = ""; goal = ""
    if (test ~ /^(up|down)/ || test == "cps") {
      if (d > 0) x = x sprintf(" vs_direct=%.2f", m[t] / d)
      if (h > 0) x = x sprintf(" vs_haproxy=%.2f", m[t] / h)
      if (t == "gateway" && h > 0) goal = sprintf("target>=1.00x_haproxy %s", verdict(m[t] >= h))
    } else if (test == "cps_resume") {
      if (h > 0) x = x sprintf(" vs_haproxy=%.2f", m[t] / h)
      if (t == "gateway") goal = "(no target: resumed)"
    } else if (test ~ /^rtt/) {
      added = m[t] - d; x = x sprintf(" p99=%.1fus added=%+.1fus", q[t], added)
      if (h > 0 && t != "direct") x = x sprintf(" vs_haproxy_added=%.2f", (h - d) != 0 ? added / (h - d) : 0)
      if (t == "gateway" && h > 0) goal = sprintf("target<=haproxy_added %s", verdict(added <= h - d))
    } else if (test == "idle") {
      x = sprintf(" conns=%s", conns[t]); if (h > 0) x = x sprintf(" vs_haproxy=%.2f", m[t] / h)
      if (t == "gateway") goal = sprintf("target<=17KiB %s", verdict(m[t] <= 17))
    } else if (test == "failover") {
      goal = sprintf("target<=1000ms %s", verdict(m[t] > 0 && m[t] <= 1000))
    }
    if (test ~ /cps/ && t != "direct") x = x sprintf(" resumed=%.0f%%", ok[t] ? 100 * ru[t] / ok[t] : 0)
    if (t in err) x = x " ERRORS=" err[t]
    x = x sprintf(" busy<=%d%%", maxb[t]); if (maxb[t] > maxbusy) x = x " NOISY"
    printf "%-10s %-12s median=%10.3f %-9s%s %s runs=[%s]\n", test, t, m[t], unit[t], x, goal, runs[t]
  }
}

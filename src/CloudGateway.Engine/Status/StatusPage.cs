using System.Globalization;
using System.Net;
using System.Text;

namespace CloudGateway.Status;

/// <summary>
/// Renders a <see cref="StatusSnapshot"/> as one self-contained HTML page: inline style, no script, no external
/// asset, reloaded by the browser every few seconds. Each figure carries its raw value in a <c>data-value</c>
/// attribute beside the readable text, so a script or a test can read the page as data.
/// </summary>
internal static class StatusPage
{
    /// <summary>Seconds between the browser's reloads of the page.</summary>
    public const int RefreshSeconds = 5;

    /// <summary>Tenants listed under "busiest tenants".</summary>
    public const int BusiestTenants = 10;

    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2733;background:#f5f7fa}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
        .sub{color:#5b6b7c;margin-bottom:16px}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin-bottom:10px}
        .card{background:#fff;border:1px solid #d8dee6;border-radius:6px;padding:10px 14px;min-width:150px}
        .card b{display:block;font-size:18px}.card span{color:#5b6b7c;font-size:12px}
        table{border-collapse:collapse;background:#fff;border:1px solid #d8dee6;width:100%}
        th,td{padding:6px 10px;border-bottom:1px solid #e6eaf0;text-align:right;white-space:nowrap}
        th{background:#eef2f6;font-weight:600}th:first-child,td:first-child{text-align:left}
        td.reasons{text-align:left;white-space:normal;color:#5b6b7c}
        .up{color:#17803d;font-weight:600}.down{color:#b42318;font-weight:600}.warn{color:#b54708;font-weight:600}
        """;

    /// <summary>The page for <paramref name="snapshot"/>.</summary>
    public static string Render(StatusSnapshot snapshot)
    {
        var html = new StringBuilder(8192);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\">")
            .Append(CultureInfo.InvariantCulture, $"<title>CloudGateway relay {Encode(snapshot.Server)}</title><style>{Style}</style></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>CloudGateway relay <span data-field=\"server\">{Encode(snapshot.Server)}</span></h1>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"sub\">Taken <time data-field=\"taken\" data-value=\"{snapshot.Taken:O}\">{snapshot.Taken:yyyy-MM-dd HH:mm:ss} UTC</time>; refreshed every {RefreshSeconds} s.</div>");
        AppendCards(html, snapshot);
        AppendGateways(html, snapshot.Gateways);
        AppendTenants(html, snapshot.BusiestTenants);
        return html.Append("</body></html>").ToString();
    }

    private static void AppendCards(StringBuilder html, StatusSnapshot snapshot)
    {
        var uptime = snapshot.Taken - snapshot.Started;
        var daysLeft = (snapshot.Certificate.NotAfter - snapshot.Taken).TotalDays;
        var lag = Math.Max(0, (snapshot.Taken - snapshot.Configuration.CheckedAt).TotalSeconds);
        var storeDown = snapshot.Configuration.StoreUnavailableSince is not null;
        html.Append("<div class=\"cards\">");
        Card(html, "state", snapshot.State.ToString(), snapshot.State.ToString(), "state", snapshot.State == Relay.RelayHostState.Running ? "up" : "warn");
        Card(html, "engine", snapshot.Engine.ToString(), snapshot.Engine.ToString(), "relay engine");
        Card(html, "uptime-seconds", Number(uptime.TotalSeconds), Duration(uptime), "up for");
        Card(html, "certificate-days-left", Number(daysLeft), daysLeft < 1 ? $"{Math.Max(0, daysLeft * 24):F0} hours" : $"{Math.Floor(daysLeft).ToString(CultureInfo.InvariantCulture)} days", $"certificate valid until {snapshot.Certificate.NotAfter:yyyy-MM-dd}", daysLeft < 30 ? "warn" : null);
        Card(html, "configuration-version", Number(snapshot.Configuration.Version), Number(snapshot.Configuration.Version), "configuration version");
        Card(html, "configuration-lag-seconds", Number(lag), storeDown ? "store unreachable" : $"{lag:F1} s", storeDown ? $"serving the last configuration since {snapshot.Configuration.StoreUnavailableSince:HH:mm:ss}" : $"since the store was read; last reload {snapshot.Configuration.LastReload.TotalMilliseconds:F0} ms", storeDown ? "down" : null);
        html.Append("</div>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"sub\">Certificate <span data-field=\"certificate-subject\">{Encode(snapshot.Certificate.Subject)}</span>, SHA-256 <code data-field=\"certificate-thumbprint\">{Encode(snapshot.Certificate.Thumbprint)}</code></div>");
    }

    private static void Card(StringBuilder html, string field, string value, string text, string label, string? tone = null) =>
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"card\"><b data-field=\"{field}\" data-value=\"{Encode(value)}\"{(tone is null ? string.Empty : $" class=\"{tone}\"")}>{Encode(text)}</b><span>{Encode(label)}</span></div>");

    private static void AppendGateways(StringBuilder html, IReadOnlyList<GatewayStatus> gateways)
    {
        html.Append("<h2>Gateways</h2><table id=\"gateways\"><tr><th>Gateway</th><th>Listening on</th><th>State</th><th>Sessions</th><th>Connections</th><th>Accepted</th><th>Refused</th><th>Refusals by reason</th><th>Bytes in</th><th>Bytes out</th><th>Rate in</th><th>Rate out</th></tr>");
        foreach (var gateway in gateways.OrderBy(g => g.Figures.Gateway, StringComparer.OrdinalIgnoreCase))
        {
            var f = gateway.Figures;
            var (state, tone) = f.Listening ? ("listening", "up") : f.Error is null ? ("draining", "warn") : ("down", "down");
            html.Append(CultureInfo.InvariantCulture, $"<tr data-gateway=\"{Encode(f.Gateway)}\"><td>{Encode(f.Gateway)}</td><td>{Encode(f.LocalEndPoint?.ToString() ?? "-")}</td>")
                .Append(CultureInfo.InvariantCulture, $"<td data-field=\"state\" data-value=\"{state}\" class=\"{tone}\" title=\"{Encode(f.Error ?? string.Empty)}\">{state}</td>");
            Cell(html, "sessions", f.Sessions, Number(f.Sessions));
            Cell(html, "connections", f.Connections, Number(f.Connections));
            Cell(html, "accepted", f.SessionsAccepted, Number(f.SessionsAccepted));
            Cell(html, "refused", f.Refusals, Number(f.Refusals));
            var reasons = string.Join(", ", gateway.RefusalsByReason.Select(r => $"{r.Key} {r.Value.ToString(CultureInfo.InvariantCulture)}"));
            html.Append(CultureInfo.InvariantCulture, $"<td data-field=\"refusals-by-reason\" data-value=\"{Encode(reasons)}\" class=\"reasons\">{(reasons.Length == 0 ? "-" : Encode(reasons))}</td>");
            Cell(html, "bytes-in", f.BytesIn, Bytes(f.BytesIn));
            Cell(html, "bytes-out", f.BytesOut, Bytes(f.BytesOut));
            Cell(html, "rate-in", gateway.RateIn, Bytes(gateway.RateIn) + "/s");
            Cell(html, "rate-out", gateway.RateOut, Bytes(gateway.RateOut) + "/s");
            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    private static void AppendTenants(StringBuilder html, IReadOnlyList<Metrics.TenantFigures> tenants)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Busiest tenants</h2><table id=\"tenants\"><tr><th>Tenant</th><th>Sessions</th><th>Bytes in</th><th>Bytes out</th></tr>");
        foreach (var tenant in tenants)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-tenant=\"{Encode(tenant.Tenant)}\"><td>{Encode(tenant.Tenant)}</td>");
            Cell(html, "sessions", tenant.Sessions, Number(tenant.Sessions));
            Cell(html, "bytes-in", tenant.BytesIn, Bytes(tenant.BytesIn));
            Cell(html, "bytes-out", tenant.BytesOut, Bytes(tenant.BytesOut));
            html.Append("</tr>");
        }

        if (tenants.Count == 0)
        {
            html.Append("<tr><td colspan=\"4\">No tenant has connected since the relay started.</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Cell(StringBuilder html, string field, double value, string text) =>
        html.Append(CultureInfo.InvariantCulture, $"<td data-field=\"{field}\" data-value=\"{Number(value)}\">{Encode(text)}</td>");

    private static string Number(double value) => value.ToString(value == Math.Floor(value) ? "F0" : "F1", CultureInfo.InvariantCulture);

    private static string Bytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes.ToString("F0", CultureInfo.InvariantCulture)} B" : $"{bytes.ToString("F1", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays} d {span.Hours} h" : span.TotalHours >= 1 ? $"{(int)span.TotalHours} h {span.Minutes} min" : $"{(int)span.TotalMinutes} min {span.Seconds} s";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

using CloudGateway.Relay;
using CloudGateway.Storage;

namespace CloudGateway.Hosting;

/// <summary>
/// What a relay found when it started, as notes: each listener opened (details), and what the administrator should
/// act on: a gateway named for this relay that is assigned to another server, disabled or unknown, a served gateway
/// whose address the certificate does not cover, nothing to serve at all, or a database or key file other users may
/// read; and, as failures, each listener that could not bind.
/// </summary>
internal static class RelayStartReview
{
    public static IReadOnlyList<OperationNote> Of(RelayHost host, IConfigurationStore store)
    {
        var options = host.Options;
        var snapshot = store.ReadSnapshot();
        var served = host.GetGatewayStatistics();
        var notes = served.Select(g => g.Listening
            ? OperationNote.Detail($"Gateway '{g.Gateway}' listens on {g.LocalEndPoint}.")
            : OperationNote.Failure($"Gateway '{g.Gateway}' {g.Error}. Free the port or change the gateway's port (Set-CloudGateway); the relay keeps trying when the configuration changes.", "GatewayNotListening")).ToList();

        if (options.Gateways is { } named)
        {
            foreach (var name in named)
            {
                var gateway = snapshot.Gateways.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
                if (gateway is null)
                {
                    notes.Add(OperationNote.Attention($"No gateway named '{name}' exists; the relay serves it once Add-CloudGateway creates it."));
                }
                else if (!gateway.Enabled)
                {
                    notes.Add(OperationNote.Attention($"Gateway '{gateway.Name}' is disabled; the relay serves it once Enable-CloudGateway enables it."));
                }
                else if (!string.Equals(gateway.Server, options.ServerName, StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add(OperationNote.Attention(
                        $"Gateway '{gateway.Name}' is assigned to server '{gateway.Server}', not this machine ('{options.ServerName}'): tenants connecting to {gateway.Address}:{gateway.Port} may reach that server instead. Assign it with Set-CloudGateway -Server {options.ServerName}."));
                }
            }
        }
        else
        {
            var elsewhere = snapshot.Gateways.Where(g => g.Enabled && !string.Equals(g.Server, options.ServerName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (elsewhere.Count > 0)
            {
                notes.Add(OperationNote.Detail($"Not served here, being assigned to other servers: {string.Join(", ", elsewhere.Select(g => $"{g.Name} ({g.Server})"))}."));
            }

            if (served.Count == 0)
            {
                notes.Add(OperationNote.Attention(
                    $"No enabled gateway is assigned to this machine ('{options.ServerName}'), so the relay listens on nothing. Assign one with Set-CloudGateway -Server {options.ServerName}, or name gateways with -Gateway."));
            }
        }

        if (options.Certificate is null)
        {
            var names = served.Select(g => g.Gateway).ToHashSet(StringComparer.OrdinalIgnoreCase);
            notes.AddRange(ConfigurationReview.Uncovered(store, snapshot.Gateways.Where(g => names.Contains(g.Name))));
        }

        notes.AddRange(ConfigurationDatabase.ReviewFileAccess(store));
        return notes;
    }
}

using System.Globalization;
using System.Net;
using CloudGateway.Client.Providers;
using CloudGateway.Metrics;
using CloudGateway.Relay;
using CloudGateway.Storage;
using CloudGateway.Tunnels;

namespace CloudGateway.Service;

/// <summary>The service's command line, parsed; every problem is reported at once.</summary>
internal sealed record ServiceOptions
{
    /// <summary>What <c>--help</c> prints.</summary>
    public const string Usage = """
        Usage: CloudGateway.Service [options]
          --database <path>              configuration database (default: $CLOUDGATEWAY_DATABASE, else the per-user default)
          --connection-string <string>   a PostgreSQL configuration shared by several gateway servers, instead of --database
                                         (default: $CLOUDGATEWAY_CONNECTION_STRING; keep the password there or in a
                                         Passfile rather than on the command line)
          --gateway <name>               a gateway to serve; repeat for several (default: the enabled gateways of this machine)
          --server-name <name>           the machine name whose gateways are served (default: this machine's name)
          --handshake-timeout <time>     seconds, or hh:mm:ss (default 10 s)
          --idle-timeout <time>          seconds, or hh:mm:ss (default 15 min)
          --drain-timeout <time>         how long sessions may finish on SIGTERM or Ctrl+C (default 30 s)
          --max-connections-per-gateway <n>
          --listen-address <ip>          bind every listener to this address instead of the gateways' own
          --listen-port <port>           bind every listener to this port; 0 picks a free one
          --lockout-source-threshold <n> wrong passwords from one source that lock it out of the tenant (default 5)
          --lockout-threshold <n>        wrong passwords that lock the whole tenant (default 50) ...
          --lockout-sources <n>          ... when they came from at least this many sources (default 10)
          --lockout-window <time>        the window the failures are counted in (default 15 min)
          --lockout-duration <time>      how long a source or tenant lock lasts (default 15 min)
          --lockout-trust <time>         how long a source that logged on passes a tenant-wide lock (default 30 days)
          --engine automatic|native|managed
                                         the relay engine: native event loops with OpenSSL 3 on Linux, managed
                                         (.NET SslStream) elsewhere; automatic (default) picks native where it runs
          --log-format json|simple       one JSON object per line (default) or plain text
          --metrics-listen <[address:]port>
                                         serve GET /metrics for Prometheus and the status page at /status on this port (off by default); a port
                                         alone binds 127.0.0.1, any other address must be written out. A bearer
                                         token is required when $CLOUDGATEWAY_METRICS_TOKEN is set
          --per-tenant-metrics on|off    add series per tenant (sessions, bytes); default off
          --auto-switch <days>           switch to the staged successor certificate by itself this many days (1-29)
                                         before the active one expires; off by default
          --tunnel <provider:resource:localport[:localaddress]>
                                         run a tenant-side tunnel (provider added with Add-CloudProvider); repeat for several
          --resumable-tunnel <provider:resource:localport[:localaddress]>
                                         the same, each connection in a resumable session that survives a broken gateway link
          --relay on|off                 whether to run the relay (default on; off on a tenant machine that only runs tunnels)
          --help                         print this text
        """;

    /// <summary>The environment variable that may hold the bearer token a metrics scrape must present, so it sits on no command line.</summary>
    public const string MetricsTokenVariable = "CLOUDGATEWAY_METRICS_TOKEN";

    /// <summary>The configuration database file.</summary>
    public string DatabasePath { get; init; } = ConfigurationDatabase.DefaultPath();

    /// <summary>The environment variable that may hold the PostgreSQL connection string, so no password sits on the command line.</summary>
    public const string ConnectionStringVariable = "CLOUDGATEWAY_CONNECTION_STRING";

    /// <summary>A PostgreSQL connection string, or null for the SQLite file <see cref="DatabasePath"/>. Never printed.</summary>
    public string? ConnectionString { get; init; } = NullIfBlank(Environment.GetEnvironmentVariable(ConnectionStringVariable));

    /// <summary>Where the configuration lives, safe to log: the file, or the connection string without its passwords.</summary>
    public string StoreLocation => ConnectionString is null ? DatabasePath : ConfigurationDatabase.RedactConnectionString(ConnectionString);

    /// <summary>Opens the configuration store: PostgreSQL when a connection string was given, else the SQLite file.</summary>
    public IConfigurationStore OpenStore() =>
        ConnectionString is null ? ConfigurationDatabase.Open(DatabasePath) : ConfigurationDatabase.OpenPostgres(ConnectionString);

    /// <summary>Opens the provider tables of the same database, for the tenant-side tunnels.</summary>
    public IProviderStore OpenProviderStore() =>
        ConnectionString is null ? ProviderDatabase.Open(DatabasePath) : ProviderDatabase.OpenPostgres(ConnectionString);

    /// <summary>How the relay runs.</summary>
    public RelayHostOptions Relay { get; init; } = new();

    /// <summary>Whether the relay runs (off on a tenant machine that only runs tunnels).</summary>
    public bool RunRelay { get; init; } = true;

    /// <summary>The tenant-side tunnels to run.</summary>
    public IReadOnlyList<TunnelSpecification> Tunnels { get; init; } = [];

    /// <summary>Whether log lines are JSON objects (else plain text).</summary>
    public bool JsonLogs { get; init; } = true;

    /// <summary>Whether only the usage text was asked for.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Parses <paramref name="args"/>; throws a ValidationFailed <see cref="GatewayException"/> listing every problem.</summary>
    public static ServiceOptions Parse(IReadOnlyList<string> args)
    {
        var problems = new List<ValidationProblem>();
        var options = new ServiceOptions();
        var relay = options.Relay;
        var lockout = relay.LockoutPolicy;
        var gateways = new List<string>();
        var tunnels = new List<TunnelSpecification>();
        IPEndPoint? metrics = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                options = options with { ShowHelp = true };
                continue;
            }

            if (i + 1 >= args.Count || !name.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add(new ValidationProblem(name, name.StartsWith("--", StringComparison.Ordinal) ? "needs a value." : "is not an option."));
                continue;
            }

            var value = args[++i];
            switch (name)
            {
                case "--database":
                    options = options with { DatabasePath = Path.GetFullPath(value) };
                    break;
                case "--connection-string":
                    options = options with { ConnectionString = ConnectionStringOrProblem(name, value, problems) };
                    break;
                case "--gateway":
                    gateways.Add(value);
                    break;
                case "--server-name":
                    relay = relay with { ServerName = value };
                    break;
                case "--handshake-timeout":
                    relay = relay with { HandshakeTimeout = Duration(name, value, problems) ?? relay.HandshakeTimeout };
                    break;
                case "--idle-timeout":
                    relay = relay with { IdleTimeout = Duration(name, value, problems) ?? relay.IdleTimeout };
                    break;
                case "--drain-timeout":
                    relay = relay with { DrainTimeout = Duration(name, value, problems) ?? relay.DrainTimeout };
                    break;
                case "--max-connections-per-gateway":
                    relay = relay with { MaxConnectionsPerGateway = Integer(name, value, 1, int.MaxValue, problems) ?? relay.MaxConnectionsPerGateway };
                    break;
                case "--lockout-source-threshold":
                    lockout = lockout with { SourceThreshold = Integer(name, value, 1, int.MaxValue, problems) ?? lockout.SourceThreshold };
                    break;
                case "--lockout-threshold":
                    lockout = lockout with { Threshold = Integer(name, value, 1, int.MaxValue, problems) ?? lockout.Threshold };
                    break;
                case "--lockout-sources":
                    lockout = lockout with { Sources = Integer(name, value, 1, int.MaxValue, problems) ?? lockout.Sources };
                    break;
                case "--lockout-window":
                    lockout = lockout with { Window = Duration(name, value, problems) ?? lockout.Window };
                    break;
                case "--lockout-duration":
                    lockout = lockout with { Duration = Duration(name, value, problems) ?? lockout.Duration };
                    break;
                case "--lockout-trust":
                    lockout = lockout with { TrustDuration = Duration(name, value, problems) ?? lockout.TrustDuration };
                    break;
                case "--listen-address":
                    relay = relay with { ListenAddressOverride = Address(name, value, problems) };
                    break;
                case "--listen-port":
                    relay = relay with { ListenPortOverride = Integer(name, value, 0, 65535, problems) };
                    break;
                case "--engine" when Enum.TryParse<RelayEngine>(value, ignoreCase: true, out var engine) && Enum.IsDefined(engine) && !int.TryParse(value, out _):
                    relay = relay with { Engine = engine };
                    break;
                case "--engine":
                    problems.Add(new ValidationProblem(name, $"'{value}' is not automatic, native or managed."));
                    break;
                case "--metrics-listen":
                    metrics = MetricsListenerOptions.ParseEndPoint(value);
                    if (metrics is null)
                    {
                        problems.Add(new ValidationProblem(name, $"'{value}' is not a port, address:port or [IPv6 address]:port."));
                    }

                    break;
                case "--auto-switch":
                    relay = relay with { AutoSwitchDays = Integer(name, value, 1, Certificates.GatewayCertificateInfo.ExpiryWarningDays - 1, problems) };
                    break;
                case "--per-tenant-metrics" when value is "on" or "off":
                    relay = relay with { PerTenantMetrics = value == "on" };
                    break;
                case "--per-tenant-metrics":
                    problems.Add(new ValidationProblem(name, $"'{value}' is neither on nor off."));
                    break;
                case "--log-format" when value is "json" or "simple":
                    options = options with { JsonLogs = value == "json" };
                    break;
                case "--tunnel":
                    tunnels.Add(Tunnel(name, value, problems));
                    break;
                case "--resumable-tunnel":
                    tunnels.Add(Tunnel(name, value, problems) with { Resumable = true });
                    break;
                case "--relay" when value is "on" or "off":
                    options = options with { RunRelay = value == "on" };
                    break;
                case "--relay":
                    problems.Add(new ValidationProblem(name, $"'{value}' is neither on nor off."));
                    break;
                case "--log-format":
                    problems.Add(new ValidationProblem(name, $"'{value}' is neither json nor simple."));
                    break;
                default:
                    problems.Add(new ValidationProblem(name, "is not an option."));
                    i--;
                    break;
            }
        }

        if (!options.RunRelay && tunnels.Count == 0 && !options.ShowHelp)
        {
            problems.Add(new ValidationProblem("--relay", "off leaves nothing to run; give at least one --tunnel."));
        }

        GatewayException.ThrowIfInvalid("The command line", null, problems);
        if (metrics is not null)
        {
            relay = relay with { MetricsListener = new MetricsListenerOptions { EndPoint = metrics, BearerToken = NullIfBlank(Environment.GetEnvironmentVariable(MetricsTokenVariable)) } };
        }

        return options with { Relay = relay with { Gateways = gateways.Count > 0 ? gateways : null, LockoutPolicy = lockout }, Tunnels = tunnels };
    }

    /// <inheritdoc />
    public override string ToString() => $"ServiceOptions {{ Store = {StoreLocation}, RunRelay = {RunRelay}, Tunnels = {Tunnels.Count} }}";

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // A malformed string is reported without echoing it: it may hold a password.
    private static string? ConnectionStringOrProblem(string name, string value, List<ValidationProblem> problems)
    {
        try
        {
            ConfigurationDatabase.RedactConnectionString(value);
            return value;
        }
        catch (GatewayException)
        {
            problems.Add(new ValidationProblem(name, "is not a valid PostgreSQL connection string."));
            return null;
        }
    }

    private static TimeSpan? Duration(string name, string value, List<ValidationProblem> problems)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < TimeSpan.MaxValue.TotalSeconds)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }

        problems.Add(new ValidationProblem(name, $"'{value}' is not a positive number of seconds or hh:mm:ss."));
        return null;
    }

    private static TunnelSpecification Tunnel(string name, string value, List<ValidationProblem> problems)
    {
        try
        {
            return TunnelSpecification.Parse(value, name);
        }
        catch (GatewayException ex) when (ex.Code == GatewayErrorCode.ValidationFailed)
        {
            problems.AddRange(ex.Problems);
            return new TunnelSpecification(string.Empty, string.Empty, new IPEndPoint(IPAddress.Loopback, 0));
        }
    }

    private static int? Integer(string name, string value, int min, int max, List<ValidationProblem> problems)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        problems.Add(new ValidationProblem(name, $"'{value}' is not a whole number from {min} to {max}."));
        return null;
    }

    private static IPAddress? Address(string name, string value, List<ValidationProblem> problems)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        problems.Add(new ValidationProblem(name, $"'{value}' is not an IP address."));
        return null;
    }
}

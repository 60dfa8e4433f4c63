using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace CloudGateway.Tests.Relay;

/// <summary>A real HTTP GET of a relay's /metrics, and the figures of the scrape by series (name plus label text).</summary>
internal sealed class MetricsScrape
{
    private MetricsScrape(HttpStatusCode status, string body)
    {
        Status = status;
        Body = body;
        Series = status != HttpStatusCode.OK ? new Dictionary<string, double>() : body.Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    public HttpStatusCode Status { get; }

    public string Body { get; }

    /// <summary>Each series' value, keyed as written: <c>cloudgateway_gateway_bytes_total{direction="in",gateway="gw"}</c>.</summary>
    public IReadOnlyDictionary<string, double> Series { get; }

    public static async Task<MetricsScrape> GetAsync(IPEndPoint endPoint, string? bearerToken = null, string path = "/metrics")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endPoint}{path}");
        if (bearerToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new MetricsScrape(response.StatusCode, body);
    }

    /// <summary>The value of <paramref name="series"/>, failing the test with the whole scrape when it is missing.</summary>
    public double this[string series] => Series.TryGetValue(series, out var value) ? value : throw new Xunit.Sdk.XunitException($"No series {series} in:\n{Body}");
}

namespace CloudGateway.Metrics;

/// <summary>What one route of the admin listener answers: the body and its media type.</summary>
internal readonly record struct AdminPage(string Body, string ContentType)
{
    /// <summary>A plain-text page.</summary>
    public static AdminPage Text(string body) => new(body, "text/plain; charset=utf-8");
}

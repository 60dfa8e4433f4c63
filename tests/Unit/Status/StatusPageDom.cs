using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CloudGateway.Tests.Status;

/// <summary>Reads a status page as data: the <c>data-value</c> of each <c>data-field</c>, on the page or in one gateway's or tenant's row.</summary>
internal sealed class StatusPageDom
{
    private readonly string _html;

    public StatusPageDom(string html) => _html = html;

    public bool HasGateway(string name) => Row("gateway", name) is not null;

    public bool HasTenant(string name) => Row("tenant", name) is not null;

    /// <summary>A figure of the page outside the tables, such as <c>certificate-thumbprint</c>'s text or <c>configuration-version</c>'s value.</summary>
    public string Page(string field) => Field(_html, field, textWhenNoValue: true);

    public string Gateway(string name, string field) => Field(Row("gateway", name) ?? throw new Xunit.Sdk.XunitException($"no row for gateway {name}"), field);

    public double GatewayNumber(string name, string field) => double.Parse(Gateway(name, field), CultureInfo.InvariantCulture);

    public double TenantNumber(string name, string field) =>
        double.Parse(Field(Row("tenant", name) ?? throw new Xunit.Sdk.XunitException($"no row for tenant {name}"), field), CultureInfo.InvariantCulture);

    private string? Row(string kind, string name)
    {
        var match = Regex.Match(_html, $"<tr data-{kind}=\"{Regex.Escape(WebUtility.HtmlEncode(name))}\">(?<row>.*?)</tr>", RegexOptions.Singleline);
        return match.Success ? match.Groups["row"].Value : null;
    }

    // The data-value of the element carrying data-field (attributes in any order), or its text when it has none.
    private static string Field(string html, string field, bool textWhenNoValue = false)
    {
        var match = Regex.Match(html, $"<\\w+(?<attributes>[^>]*\\sdata-field=\"{Regex.Escape(field)}\"[^>]*)>(?<text>[^<]*)<");
        Assert.True(match.Success, $"no {field} in: {html}");
        var value = Regex.Match(match.Groups["attributes"].Value, "\\sdata-value=\"(?<value>[^\"]*)\"");
        Assert.True(value.Success || textWhenNoValue, $"{field} has no data-value");
        return WebUtility.HtmlDecode(value.Success ? value.Groups["value"].Value : match.Groups["text"].Value);
    }
}

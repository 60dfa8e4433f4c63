using System.Text;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Relay;

/// <summary>Hostile hellos from the probe: each gets a clean answer, one log line, and no raw control characters in the log.</summary>
[Collection(RelayTestGroup.Name)]
public sealed class RelayHelloTests(AdmissionWorld world) : IClassFixture<AdmissionWorld>
{
    [Theory]
    [InlineData("""{"version":1,"tenant":null,"password":"good-password","resource":"repo"}""")]
    [InlineData("""{"version":1,"tenant":"acme","password":null,"resource":"repo"}""")]
    [InlineData("""{"version":1,"tenant":"nobody","tenant":"acme","password":"good-password","resource":"repo"}""")]
    public async Task Hello_NullOrDuplicateField_AnswersBadRequestWithOneLogLineAndNoStackTrace(string json)
    {
        var port = RelayTestEnvironment.PortOf(world.Host, "gw-standalone");
        var eventsBefore = world.Environment.Log.Events.Count;

        await using var client = await RelayTestClient.ConnectAsync(port, Encoding.UTF8.GetBytes(json + "\n"));

        Assert.Equal(RefusalReason.BadRequest, client.Answer.Reason);
        Assert.Equal(0, await client.ReadToEndAsync(TimeSpan.FromSeconds(5)));
        var logged = world.Environment.Log.Events.Skip(eventsBefore).ToList();
        Assert.Single(logged, e => e.Id.Id == 200);
        Assert.DoesNotContain(logged, e => e.Message.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Hello_WithoutVersion_IsAdmittedAsVersionOne()
    {
        var port = RelayTestEnvironment.PortOf(world.Host, "gw-standalone");

        await using var client = await RelayTestClient.ConnectAsync(port, """{"tenant":"acme","password":"good-password","listOnly":true}"""u8.ToArray().Append((byte)'\n').ToArray());

        Assert.True(client.Answer.Accepted, client.Answer.Reason);
    }

    [Fact]
    public async Task Hello_TenantNameWithControlCharacters_IsLoggedEscaped()
    {
        var port = RelayTestEnvironment.PortOf(world.Host, "gw-standalone");
        var eventsBefore = world.Environment.Log.Events.Count;
        const string Forged = "x\r\n2026-01-01T00:00:00Z info: tenant admin logged on\u001b[31m\u0007";

        await using var client = await RelayTestClient.ConnectAsync(port, RelayAdmissionTests.Hello(Forged, "whatever", "repo"));

        Assert.Equal(RefusalReason.InvalidCredentials, client.Answer.Reason);
        var logged = world.Environment.Log.Events.Skip(eventsBefore).Select(e => e.Message).ToList();
        Assert.Contains(logged, m => m.Contains("""x\r\n2026-01-01T00:00:00Z info: tenant admin logged on\u001B[31m\u0007""", StringComparison.Ordinal));
        Assert.DoesNotContain(logged, m => m.Any(char.IsControl));
    }
}

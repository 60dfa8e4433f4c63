namespace CloudGateway.Client;

/// <summary>
/// How patient the tenant client is: how long one gateway gets to complete TCP and TLS, how long to wait for the
/// answer to a hello, and how long a failing gateway is set aside before it is tried again.
/// </summary>
public sealed record GatewayClientOptions
{
    /// <summary>The client's defaults: 3 s connect timeout, 10 s answer timeout, 30 s cool-down after one failure.</summary>
    public static GatewayClientOptions Default { get; } = new();

    /// <summary>The most time TCP connect plus the TLS handshake may take on one gateway before the next is tried.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The most time the gateway may take to answer a hello. Longer than the connect timeout because the gateway
    /// reaches the resource before it answers.
    /// </summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a gateway is set aside once it has failed <see cref="FailureThreshold"/> times in a row.</summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failures that start a cool-down.</summary>
    public int FailureThreshold { get; init; } = 1;

    /// <summary>How long a resumable session's link may bring nothing before it counts as broken and is resumed.</summary>
    public TimeSpan ResumableSilenceLimit { get; init; } = Resumable.ResumableOptions.Default.SilenceLimit;

    /// <summary>Throws a validation exception listing every out-of-range option.</summary>
    public void Validate()
    {
        var problems = new List<ValidationProblem>();
        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add(new("ConnectTimeout", "must be more than zero and at most 5 minutes"));
        }

        if (AnswerTimeout <= TimeSpan.Zero || AnswerTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add(new("AnswerTimeout", "must be more than zero and at most 5 minutes"));
        }

        if (CoolDown < TimeSpan.Zero || CoolDown > TimeSpan.FromDays(1))
        {
            problems.Add(new("CoolDown", "must be between zero and one day"));
        }

        if (ResumableSilenceLimit <= TimeSpan.Zero || ResumableSilenceLimit > TimeSpan.FromMinutes(10))
        {
            problems.Add(new("ResumableSilenceLimit", "must be more than zero and at most 10 minutes"));
        }

        if (FailureThreshold < 1)
        {
            problems.Add(new("FailureThreshold", "must be at least 1"));
        }

        GatewayException.ThrowIfInvalid("The gateway client options", this, problems);
    }
}

using CloudGateway.Networking.Appliance;

namespace CloudGateway.Tests.Networking.Appliance;

/// <summary>Runs real commands, remembers them, and fails the ones a test chooses, to check rollback.</summary>
internal sealed class RecordingRunner : ICommandRunner
{
    private static readonly string[] ChangingWords = ["add", "del", "delete", "set", "-w", "-f"];
    private readonly ProcessCommandRunner _inner = new();

    public List<IReadOnlyList<string>> Commands { get; } = [];

    public Func<IReadOnlyList<string>, bool> FailWhen { get; set; } = _ => false;

    public IEnumerable<IReadOnlyList<string>> ChangingCommands => Commands.Where(c =>
    {
        var own = c.Count > 4 && c[0] == "ip" && c[1] == "netns" && c[2] == "exec" ? c.Skip(4).ToList() : c.ToList();
        return own.Any(ChangingWords.Contains);
    });

    public CommandResult Run(IReadOnlyList<string> arguments, string? input = null)
    {
        Commands.Add(arguments);
        return FailWhen(arguments) ? new CommandResult(1, string.Empty, "injected failure") : _inner.Run(arguments, input);
    }
}

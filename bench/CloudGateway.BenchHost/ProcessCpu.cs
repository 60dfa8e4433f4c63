using System.Globalization;

namespace CloudGateway.BenchHost;

/// <summary>CPU time of another process from /proc (Linux): user plus system, in seconds.</summary>
internal static class ProcessCpu
{
    private const double ClockTicksPerSecond = 100; // USER_HZ, 100 on every Linux architecture .NET runs on

    /// <summary>The CPU time of process <paramref name="pid"/>, or 0 when it is gone.</summary>
    public static double OfProcess(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return 0;
        }

        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
    }
}

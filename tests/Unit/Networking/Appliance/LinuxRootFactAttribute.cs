namespace CloudGateway.Tests.Networking.Appliance;

/// <summary>
/// A fact that needs Linux, root and the ip, nft, sysctl and ping tools; it is reported as skipped, with the
/// reason, when any is missing (xunit 2 has no dynamic skip, so the reason is decided here).
/// </summary>
public sealed class LinuxRootFactAttribute : FactAttribute
{
    private static readonly string[] Tools = ["ip", "nft", "sysctl", "ping"];

    public LinuxRootFactAttribute()
    {
        Skip = CiRun.SkipUnlessCi(WhyNot());
    }

    public static string? WhyNot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "Skipped: network namespaces need Linux.";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "Skipped: network namespace tests need root.";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Concat(["/usr/sbin", "/sbin"]);
        var missing = Tools.Where(tool => !path.Any(folder => File.Exists(Path.Combine(folder, tool)))).ToList();
        return missing.Count == 0
            ? null
            : $"Skipped: {string.Join(", ", missing)} not installed (apt-get install -y iproute2 nftables procps iputils-ping).";
    }
}

using System.Diagnostics;

namespace CloudGateway.Tests.Status;

/// <summary>Headless Chromium from Debian's package, run once per call with its own profile folder.</summary>
internal static class Chromium
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string? Path => Candidates.FirstOrDefault(File.Exists);

    /// <summary>Why a browser test cannot run here, or null.</summary>
    public static string? WhyNot() => !OperatingSystem.IsLinux() ? "Skipped: the browser tests use Debian's chromium." :
        Path is null ? "Skipped: chromium is not installed (bash build.sh test installs it as root)." : null;

    /// <summary>Loads <paramref name="url"/> and returns the DOM after the page ran; with <paramref name="screenshot"/>, also saves a PNG of it there.</summary>
    public static async Task<string> DumpDomAsync(Uri url, string? screenshot = null)
    {
        var profile = Directory.CreateTempSubdirectory("cg-chromium-");
        try
        {
            var start = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, RedirectStandardError = true };
            string[] arguments = ["--headless", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=2000"];
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            if (Environment.IsPrivilegedProcess)
            {
                start.ArgumentList.Add("--no-sandbox");
            }

            if (screenshot is not null)
            {
                start.ArgumentList.Add($"--screenshot={screenshot}");
                start.ArgumentList.Add("--window-size=1360,900");
                start.ArgumentList.Add("--hide-scrollbars");
            }
            else
            {
                start.ArgumentList.Add("--dump-dom");
            }

            start.ArgumentList.Add(url.ToString());
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("chromium did not finish within 90 s: " + await errors);
            }

            Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {await errors}");
            return await output;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}

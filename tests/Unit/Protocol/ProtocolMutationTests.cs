using System.Diagnostics;
using CloudGateway.Protocol;

namespace CloudGateway.Tests.Protocol;

/// <summary>
/// A time-boxed mutation run over the seed corpus in Protocol/Corpus (kept in the repository). Every corpus file is
/// also a regression case. An input that breaks the hostile-input rule is written to the crashers folder printed in
/// the failure, to be added to the corpus once fixed. CLOUDGATEWAY_FUZZ_SECONDS sets the run's length (default 3).
/// </summary>
public sealed class ProtocolMutationTests
{
    private static readonly string CorpusFolder = Path.Combine(AppContext.BaseDirectory, "Protocol", "Corpus");

    public static TheoryData<string> CorpusFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CorpusFolder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Decode_CorpusFile_YieldsFrameOrProtocolViolation(string file)
    {
        HostileInput.AssertDecodesOrViolates(File.ReadAllBytes(Path.Combine(CorpusFolder, file)));
    }

    [Fact]
    public void Decode_MutatedCorpus_NeverBreaksTheHostileInputRule()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("CLOUDGATEWAY_FUZZ_SECONDS"), out var s) ? s : 3;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var corpus = Directory.GetFiles(CorpusFolder).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(corpus);

        var clock = Stopwatch.StartNew();
        var tried = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds) && tried < 5_000_000)
        {
            var input = Mutate(corpus, random);
            tried++;
            try
            {
                HostileInput.AssertDecodesOrViolates(input);
            }
            catch (Exception ex)
            {
                var path = SaveCrasher(input);
                Assert.Fail($"Input {tried} (seed {seed}) broke the rule: {ex.GetType().Name}: {ex.Message}. Saved to {path}.");
            }
        }

        Console.WriteLine($"protocol mutation run: {tried} inputs in {clock.Elapsed.TotalSeconds:F1} s, seed {seed}, 0 crashers");
        Assert.True(tried > 1000, $"only {tried} inputs were tried");
    }

    private static byte[] Mutate(List<byte[]> corpus, Random random)
    {
        var data = new List<byte>(corpus[random.Next(corpus.Count)]);
        var rounds = random.Next(1, 8);
        for (var i = 0; i < rounds; i++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data.Insert(at, (byte)random.Next(256));
                    break;
                case 2 when data.Count > 0:
                    data.RemoveAt(at);
                    break;
                case 3 when data.Count > 0:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4:
                    var other = corpus[random.Next(corpus.Count)];
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(1, 64)));
                    break;
                case 5 when data.Count > 0:
                    var piece = data.Skip(at).Take(random.Next(1, 32)).ToArray();
                    for (var r = random.Next(1, 300); r > 0 && data.Count < 2 * WireProtocol.MaxFrameBytes; r--)
                    {
                        data.InsertRange(at, piece);
                    }

                    break;
                default:
                    byte[] interesting = [(byte)'"', (byte)'\\', (byte)'{', (byte)'[', 0, 0xFF, 0xC3, 0xED, (byte)'\n'];
                    data.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
            }
        }

        return [.. data];
    }

    private static string SaveCrasher(byte[] input)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "crashers");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(input))[..16] + ".bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}

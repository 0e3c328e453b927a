using Wheelhouse.Core.Distributions;
using static Wheelhouse.Core.Tests.Distributions.Archives;

namespace Wheelhouse.Core.Tests.Distributions;

/// <summary>Randomly damaged archives must give a result (success or failure), never an exception.</summary>
public class CorruptArchiveFuzzTests
{
    public static TheoryData<string> Kinds() => new() { "wheel", "tar.gz", "zip" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Damaged_archives_never_throw(string kind)
    {
        var metadata = Utf8(Metadata("foo", "1.0", "Classifier: x\n\n" + string.Join('\n', Enumerable.Range(0, 200).Select(i => $"line {i} of the description"))));
        var (fileName, original) = kind switch
        {
            "wheel" => ("foo-1.0-py3-none-any.whl", Zip(("foo/__init__.py", Utf8("x = 1\n")), ("foo-1.0.dist-info/METADATA", metadata)).ToArray()),
            "tar.gz" => ("foo-1.0.tar.gz", TarGz(("foo-1.0/setup.py", Utf8("")), ("foo-1.0/PKG-INFO", metadata)).ToArray()),
            _ => ("foo-1.0.zip", Zip(("foo-1.0/setup.py", Utf8("")), ("foo-1.0/PKG-INFO", metadata)).ToArray()),
        };
        DistributionFileName.TryParse(fileName, out var name, out _).Should().BeTrue();
        var random = new Random(4242);
        var failures = 0;
        for (var i = 0; i < 400; i++)
        {
            var damaged = (byte[])original.Clone();
            switch (i % 4)
            {
                case 0:
                    damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    for (var j = 0; j < 8; j++)
                    {
                        damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
                    }
                    break;
                case 2:
                    damaged = damaged[..random.Next(damaged.Length)];
                    break;
                default:
                    var start = random.Next(damaged.Length);
                    damaged = [.. damaged[..start], .. damaged[Math.Min(damaged.Length, start + 1 + random.Next(64))..]];
                    break;
            }
            using var stream = new MemoryStream(damaged);
            InspectionResult result = null!;
            var act = () => result = DistributionInspector.Inspect(stream, name!, InspectionLimits.Default);
            act.Should().NotThrow($"iteration {i} of {kind}");
            if (result is InspectionResult.Failure failure)
            {
                failures++;
                failure.Message.Should().NotBeNullOrWhiteSpace();
            }
        }
        failures.Should().BeGreaterThan(100, "most damage must be noticed");
    }
}

using System.Diagnostics;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>
/// The whole pipeline, twice, as two machines would run it: two fresh clones of this checkout's HEAD commit (what is
/// committed is what is tested; the commit is read once, so a commit landing meanwhile changes nothing), each running
/// `./build.sh deb --arch amd64 --compression zstd` (publish, .deb, apt repository) into its own artifacts/, one under
/// umask 0022 and the real clock, the other under umask 0077 with the clock 79 hours ahead (faketime, from Debian's
/// faketime package). The .deb and Packages files must be byte-identical. zstd keeps the compression cheap: the point is
/// everything but the compressor (which has its own tests across thread counts).
/// </summary>
[Integration]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReproducibilityBuildTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wh-repro-").FullName;

    [Fact]
    public void Two_builds_of_one_commit_under_another_umask_and_clock_give_identical_debs_and_packages_files()
    {
        File.Exists("/usr/bin/faketime").Should().BeTrue("this test shifts the clock with faketime (apt-get install faketime)");
        var commit = Run(Wheelhouse.Testing.RepositoryRoot.Path, "git", "rev-parse", "HEAD").Trim();
        // wheelhouse-client-config built with a company index and CA, so its build-time values are covered too.
        Run(_root, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Reproducibility test CA",
            "-keyout", Path.Combine(_root, "ca.key"), "-out", CaFile);
        var first = Build(commit, "first", umask: "0022", clockShift: null);
        var second = Build(commit, "second", umask: "0077", clockShift: "+79h");

        var outputs = Outputs(first);
        outputs.Should().Contain(p => p.EndsWith(".deb", StringComparison.Ordinal)).And.Contain(p => p.EndsWith("/Packages", StringComparison.Ordinal))
            .And.Contain(p => p.StartsWith("artifacts/deb/wheelhouse-client-config_", StringComparison.Ordinal) && p.EndsWith("_all.deb", StringComparison.Ordinal));
        Outputs(second).Should().Equal(outputs);
        var differences = outputs.Select(path => Difference(path, Path.Combine(first, path), Path.Combine(second, path))).OfType<string>();
        string.Join('\n', differences).Should().BeEmpty("no output may depend on the umask or the clock of the machine that built it");
    }

    private string CaFile => Path.Combine(_root, "company-ca.pem");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The .deb files and Packages indexes under a clone's artifacts/, relative to the clone.</summary>
    private static List<string> Outputs(string clone) =>
        Directory.GetFiles(Path.Combine(clone, "artifacts"), "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(clone, p))
            .Where(p => (p.EndsWith(".deb", StringComparison.Ordinal) && p.StartsWith("artifacts/deb/", StringComparison.Ordinal))
                || (p.StartsWith("artifacts/apt/", StringComparison.Ordinal) && p.EndsWith("/Packages", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Null when the two files are identical; else their hashes and, for text, the first line that differs.</summary>
    private static string? Difference(string path, string first, string second)
    {
        var (a, b) = (File.ReadAllBytes(first), File.ReadAllBytes(second));
        if (a.AsSpan().SequenceEqual(b))
        {
            return null;
        }

        var text = "";
        if (!path.EndsWith(".deb", StringComparison.Ordinal))
        {
            var (linesA, linesB) = (System.Text.Encoding.UTF8.GetString(a).Split('\n'), System.Text.Encoding.UTF8.GetString(b).Split('\n'));
            var line = Enumerable.Range(0, Math.Min(linesA.Length, linesB.Length)).FirstOrDefault(i => linesA[i] != linesB[i], -1);
            text = line < 0 ? "" : $", line {line + 1}: '{linesA[line]}' vs '{linesB[line]}'";
        }

        return $"{path} differs: sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(a))} ({a.Length} bytes) "
            + $"vs {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(b))} ({b.Length} bytes){text}";
    }

    private string Build(string commit, string name, string umask, string? clockShift)
    {
        // The umask covers the checkout too, as on a machine where it is the login default.
        var clone = Path.Combine(_root, name);
        var faketime = clockShift is null ? "" : $"faketime -f {clockShift} ";
        Run(_root, "/bin/sh", "-c",
            $"umask {umask} && git clone --quiet --no-local --no-checkout \"$0\" {name} && cd {name} && git checkout --quiet --detach {commit} "
            + $"&& exec {faketime}./build.sh deb --arch amd64 --compression zstd --client-index-url https://pypi.example.org/root/pypi/+simple/ --client-ca {CaFile}",
            Wheelhouse.Testing.RepositoryRoot.Path);
        return clone;
    }

    private static string Run(string directory, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A clean environment for a nested build: no output redirection or MSBuild location from the test run, the
        // timestamp left to the commit as in a release engineer's shell, and no MSBuild nodes left running after it.
        foreach (var variable in new[] { "ArtifactsPath", "SOURCE_DATE_EPOCH", "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "DOTNET_HOST_PATH" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"{program} {string.Join(' ', arguments)} in {directory} failed:\n{Tail(output.Result + error.Result)}");
        return output.Result;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}

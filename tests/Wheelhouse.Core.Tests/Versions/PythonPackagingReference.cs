using System.Text.Json;

namespace Wheelhouse.Core.Tests.Versions;

/// <summary>
/// Runs Python's <c>packaging.version</c> on a list of strings and returns, per string, null (invalid) or its
/// normalization, flags and dense rank in packaging's order. Runs /usr/bin/python3 in isolated mode from a temp
/// directory, because the repository's own <c>packaging/</c> folder would otherwise shadow the module.
/// </summary>
internal static class PythonPackagingReference
{
    private const string Script = """
        import json, sys
        import packaging
        from packaging.version import Version, InvalidVersion
        data = json.load(sys.stdin)
        out, valid = [], []
        for i, s in enumerate(data):
            try:
                v = Version(s)
            except InvalidVersion:
                out.append(None)
                continue
            out.append({"normalized": str(v), "pre": v.is_prerelease, "post": v.is_postrelease,
                        "dev": v.is_devrelease, "public": v.public, "base": v.base_version, "local": v.local})
            valid.append((v, i))
        valid.sort(key=lambda t: t[0])
        rank, prev = -1, None
        for v, i in valid:
            if prev is None or v != prev:
                rank, prev = rank + 1, v
            out[i]["rank"] = rank
        json.dump({"packaging": packaging.__version__, "results": out}, sys.stdout)
        """;

    public sealed record Result(string Normalized, bool Pre, bool Post, bool Dev, string Public, string Base, string? Local, int Rank);

    public static (string PackagingVersion, IReadOnlyList<Result?> Results) Run(IReadOnlyList<string> corpus)
    {
        var dir = Directory.CreateTempSubdirectory("wh-pep440-");
        try
        {
            var scriptPath = Path.Combine(dir.FullName, "reference.py");
            File.WriteAllText(scriptPath, Script);
            var (exitCode, stdout, stderr) = PythonTool.Run(dir.FullName, JsonSerializer.Serialize(corpus), scriptPath);
            exitCode.Should().Be(0, "python3 -I with packaging failed (apt-get install python3-packaging): {0}", stderr);
            using var doc = JsonDocument.Parse(stdout);
            var results = doc.RootElement.GetProperty("results").EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null
                ? null
                : new Result(
                    e.GetProperty("normalized").GetString()!, e.GetProperty("pre").GetBoolean(), e.GetProperty("post").GetBoolean(),
                    e.GetProperty("dev").GetBoolean(), e.GetProperty("public").GetString()!, e.GetProperty("base").GetString()!,
                    e.GetProperty("local").GetString(), e.GetProperty("rank").GetInt32())).ToList();
            return (doc.RootElement.GetProperty("packaging").GetString()!, results);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Packaging.Publishing;

/// <summary>
/// A digest of everything a publish depends on (sources under src/, the shared MSBuild files, configuration, runtime and
/// the stamped version),
/// so an unchanged tree is not published again. Build outputs (bin/, obj/) and editor litter are not inputs.
/// </summary>
public static class PublishInputs
{
    private static readonly string[] SharedFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", "NuGet.config", "nuget.config"];

    public static string Digest(PublishRequest request, string runtimeIdentifier)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Add($"configuration={request.Configuration} rid={runtimeIdentifier} project={request.Project} version={request.Version}");
        var files = SharedFiles.Select(f => Path.Combine(request.RepositoryRoot, f)).Where(File.Exists)
            .Concat(SourceFiles(Path.Combine(request.RepositoryRoot, "src")));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            Add(Path.GetRelativePath(request.RepositoryRoot, file));
            hash.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static IEnumerable<string> SourceFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            yield return file;
        }

        foreach (var sub in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "TestResults" || name.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in SourceFiles(sub))
            {
                yield return file;
            }
        }
    }
}

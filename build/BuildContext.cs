using Cake.Core;
using Cake.Frosting;

namespace Wheelhouse.Build;

/// <summary>What every task needs to know, parsed and validated once from the command line.</summary>
public sealed class BuildContext : FrostingContext
{
    public BuildContext(ICakeContext context) : base(context)
    {
        RepositoryRoot = FindRepositoryRoot();
        Artifacts = Path.Combine(RepositoryRoot, "artifacts");
        BuildConfiguration = Argument("configuration", "Release");
        if (BuildConfiguration is not ("Release" or "Debug"))
            throw new ArgumentException($"--configuration '{BuildConfiguration}' is not Release or Debug");
    }

    public string RepositoryRoot { get; }
    public string Artifacts { get; }
    public string BuildConfiguration { get; }
    public string Solution => Path.Combine(RepositoryRoot, "Packaging.sln");

    private string Argument(string name, string fallback) =>
        Arguments.HasArgument(name) ? Arguments.GetArguments(name).Last() : fallback;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Packaging.sln")))
                return dir.FullName;
        throw new InvalidOperationException("cannot find Packaging.sln above the current directory; run ./build.sh from the repository");
    }
}

namespace Wheelhouse.Server.Tests.Support;

/// <summary>A one-package setuptools project built with Debian's python3 -m build (no isolation, no network).</summary>
public static class PythonProject
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Builds <paramref name="distribution"/> (its import package named <paramref name="package"/>) and returns the files made, sorted.</summary>
    public static async Task<string[]> BuildAsync(string work, string distribution, string package, string version, string body,
        string requiresPython = ">=3.7", bool wheelOnly = false)
    {
        var source = Path.Combine(work, $"src-{package}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(source, package));
        await File.WriteAllTextAsync(Path.Combine(source, package, "__init__.py"), body);
        await File.WriteAllTextAsync(Path.Combine(source, "pyproject.toml"), $$"""
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "{{distribution}}"
            version = "{{version}}"
            description = "Wheelhouse client test"
            requires-python = "{{requiresPython}}"

            [tool.setuptools]
            packages = ["{{package}}"]
            """);
        var dist = Path.Combine(source, "dist");
        string[] kinds = wheelOnly ? ["--wheel"] : ["--sdist", "--wheel"];
        (await Tool.RunAsync(work, Python, ["-I", "-m", "build", "--no-isolation", .. kinds, "--outdir", dist, source])).ShouldSucceed();
        return Directory.GetFiles(dist).Order(StringComparer.Ordinal).ToArray();
    }
}

using Wheelhouse.Core.Distributions;

namespace Wheelhouse.Core.Tests.Distributions;

/// <summary>
/// An sdist and a wheel built by the real toolchain (python3 -m build --no-isolation with setuptools) are named and
/// inspected as they should be, including setuptools' legacy unescaped sdist name and a UTF-8 README body.
/// </summary>
[Integration]
public sealed class RealBuildTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("wh-core-build-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Inspects_an_sdist_and_a_wheel_built_by_python_build()
    {
        File.WriteAllText(Path.Combine(_dir.FullName, "pyproject.toml"), """
            [build-system]
            requires = ["setuptools>=61"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "wh-core-sample"
            version = "1.2.3rc1"
            description = "A sample for the inspector"
            readme = "README.md"
            requires-python = ">=3.8"
            authors = [{name = "Jürgen Example", email = "j@example.com"}]
            dependencies = ["requests>=2.0"]

            [project.optional-dependencies]
            test = ["pytest"]

            [project.urls]
            Source = "https://example.com/src"

            [tool.setuptools]
            py-modules = ["wh_core_sample"]
            """);
        File.WriteAllText(Path.Combine(_dir.FullName, "README.md"), "# Sample\n\nÜnïcödé body text.\n");
        File.WriteAllText(Path.Combine(_dir.FullName, "wh_core_sample.py"), "VALUE = 1\n");

        var (exit, stdout, stderr) = PythonTool.Run(_dir.FullName, null, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", "dist", ".");
        exit.Should().Be(0, "python3 -m build needs python3-build, python3-setuptools and python3-wheel: {0}\n{1}", stdout, stderr);

        var files = Directory.GetFiles(Path.Combine(_dir.FullName, "dist")).Order().ToList();
        files.Should().HaveCount(2);
        foreach (var path in files)
        {
            DistributionFileName.TryParse(Path.GetFileName(path), out var name, out var error).Should().BeTrue(error);
            name!.Project.Normalized.Should().Be("wh-core-sample");
            name.Version.ToString().Should().Be("1.2.3rc1");
            using var file = File.OpenRead(path);
            var result = DistributionInspector.Inspect(file, name, InspectionLimits.Default);
            var success = result.Should().BeOfType<InspectionResult.Success>($"{name} should inspect cleanly").Subject;
            var m = success.Metadata;
            m.Name.Normalized.Should().Be("wh-core-sample");
            m.Version.ToString().Should().Be("1.2.3rc1");
            m.Summary.Should().Be("A sample for the inspector");
            m.RequiresPython.Should().Be(">=3.8");
            if (name.IsWheel)
            {
                // setuptools 66 writes Requires-Dist into the wheel's METADATA only, not into the sdist's PKG-INFO.
                m.RequiresDist.Should().Equal("requests (>=2.0)", "pytest ; extra == 'test'");
                success.MemberPath.Should().Be("wh_core_sample-1.2.3rc1.dist-info/METADATA");
            }
            else
            {
                name.Stem.Should().Be("wh-core-sample-1.2.3rc1", "setuptools 66 still writes the legacy unescaped sdist name");
                success.MemberPath.Should().Be("wh-core-sample-1.2.3rc1/PKG-INFO");
            }
            m.ProvidesExtra.Should().Equal("test");
            m.ProjectUrls.Should().Equal("Source, https://example.com/src");
            m.AuthorEmail.Should().Contain("Jürgen Example");
            m.DescriptionContentType.Should().Be("text/markdown");
            m.Description.Should().Contain("Ünïcödé body text.");
            var verdata = m.ToVerdata();
            verdata["requires_python"].Should().Be(">=3.8");
            verdata["project_urls"].Should().BeEquivalentTo(new[] { "Source, https://example.com/src" });
        }
        files.Select(Path.GetFileName).Should().Contain(n => n!.EndsWith(".tar.gz", StringComparison.Ordinal))
            .And.Contain(n => n!.EndsWith(".whl", StringComparison.Ordinal));
    }
}

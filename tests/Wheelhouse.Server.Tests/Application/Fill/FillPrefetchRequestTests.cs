using System.Text.Json.Nodes;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Server.Application.Fill;

namespace Wheelhouse.Server.Tests.Application.Fill;

/// <summary>The <c>prefetch</c> of a fill request: what it accepts, and which pinned files the mirror fetches ahead of pip.</summary>
public sealed class FillPrefetchRequestTests
{
    private static readonly string Sha = new('a', 64);

    private static FillPrefetchRequest Valid(string json)
    {
        var problems = new List<string>();
        var request = FillPrefetchRequest.Parse(JsonNode.Parse(json), problems);
        problems.Should().BeEmpty();
        return request!;
    }

    private static bool Wants(FillPrefetchRequest request, string file) =>
        request.Wants(DistributionFileName.TryParse(file, out var name, out var error) ? name : throw new ArgumentException(error));

    [Fact]
    public void A_fill_request_carries_its_prefetch()
    {
        var body = JsonNode.Parse($$$"""
            {"from": "team/up", "files": [], "dry_run": true,
             "prefetch": {"projects": [{"name": "App", "sha256": ["{{{Sha}}}"]}], "platforms": ["win_amd64"], "python_versions": ["3.11"]}}
            """)!.AsObject();

        FillRequest.Parse(body).IsValid(out var fill, out _).Should().BeTrue();

        fill!.Prefetch!.Projects.Should().ContainSingle().Which.Name.Normalized.Should().Be("app");
        fill.Prefetch.Projects[0].Sha256.Should().Equal(Sha);
        fill.Prefetch.Platforms.Should().Equal("win_amd64");
        fill.Prefetch.PythonVersions.Should().Equal("3.11");
    }

    [Fact]
    public void Every_problem_of_a_prefetch_is_reported_at_once()
    {
        var problems = new List<string>();
        var request = FillPrefetchRequest.Parse(JsonNode.Parse("""
            {"projects": [{"name": "-bad", "sha256": []}, {"name": "ok", "sha256": ["ABC"]}, 7],
             "platforms": ["linux x86"], "python_versions": ["three"], "extra": 1}
            """), problems);

        request.Should().BeNull();
        problems.Should().HaveCount(6);
        problems.Should().Contain(p => p.Contains("unknown prefetch key 'extra'"));
        problems.Should().Contain(p => p.Contains("'-bad' is not a project name"));
        problems.Should().Contain(p => p.Contains("(ok): each sha256 must be 64 lower-case hex digits"));
        problems.Should().Contain(p => p.Contains("projects[2] must be an object"));
        problems.Should().Contain(p => p.Contains("\"linux x86\" is not a platform tag"));
        problems.Should().Contain(p => p.Contains("\"three\" is not a Python version"));
    }

    [Fact]
    public void Pure_python_3_wheels_are_wanted_whatever_the_platform_and_sdists_never()
    {
        var request = Valid("""{"projects": []}""");

        Wants(request, "app-1.0-py3-none-any.whl").Should().BeTrue();
        Wants(request, "app-1.0-py2.py3-none-any.whl").Should().BeTrue();
        Wants(request, "app-1.0-py2-none-any.whl").Should().BeFalse();
        Wants(request, "app-1.0.tar.gz").Should().BeFalse("fill downloads binary wheels only");
        Wants(request, "app-1.0-cp311-cp311-manylinux2014_x86_64.whl").Should().BeFalse("no platform was asked for");
    }

    [Theory]
    [InlineData("app-1.0-cp311-cp311-win_amd64.whl", true)]
    [InlineData("app-1.0-cp39-abi3-win_amd64.whl", true)]
    [InlineData("app-1.0-cp312-abi3-win_amd64.whl", false)]
    [InlineData("app-1.0-cp310-cp310-win_amd64.whl", false)]
    [InlineData("app-1.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", true)]
    [InlineData("app-1.0-cp311-cp311-macosx_11_0_arm64.whl", false)]
    public void A_platform_wheel_is_wanted_for_a_requested_platform_and_python_version(string file, bool wanted)
    {
        var request = Valid("""{"projects": [], "platforms": ["win_amd64", "manylinux2014_x86_64"], "python_versions": ["3.11"]}""");

        Wants(request, file).Should().Be(wanted);
    }
}

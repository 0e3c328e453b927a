using Wheelhouse.Server.Commands;

namespace Wheelhouse.Server.Tests.Commands;

/// <summary>What fill reads of a requirements file before pip does: includes, foreign sources, full pinning.</summary>
public sealed class RequirementsFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-requirements-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_lock_with_includes_continuations_and_comments_is_fully_pinned_and_its_digest_follows_the_included_file()
    {
        Write("base.txt", "six==1.16.0 \\\n    --hash=sha256:" + new string('1', 64) + "\n");
        var top = Write("lock.txt", "# a lock\napp[extra]==1.0 --hash=sha256:" + new string('2', 64) + "  # pinned\n-r base.txt\n\n");

        var read = RequirementsFile.Read(top);
        Write("base.txt", "six==1.17.0 --hash=sha256:" + new string('3', 64) + "\n");
        var changed = RequirementsFile.Read(top);

        read.Problems.Should().BeEmpty();
        read.FullyPinned.Should().BeTrue();
        read.Files.Select(Path.GetFileName).Should().Equal("lock.txt", "base.txt");
        changed.Digest.Should().NotBe(read.Digest, "an included file's change is a change of the requirements");
    }

    [Theory]
    [InlineData("app==1.0\n")]
    [InlineData("app>=1.0 --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111\n")]
    [InlineData("app==1.* --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111\n")]
    public void A_requirement_without_an_exact_pin_and_a_hash_is_not_fully_pinned(string text) =>
        RequirementsFile.Read(Write("r.txt", text)).FullyPinned.Should().BeFalse();

    [Fact]
    public void Foreign_sources_direct_references_and_missing_includes_are_each_reported_with_their_line()
    {
        var path = Write("r.txt", "--index-url https://example.org/simple\napp @ https://example.org/app.whl\n./local\n-r missing.txt\nok\n");

        var problems = RequirementsFile.Read(path).Problems;

        problems.Should().HaveCount(4);
        problems[0].Should().Contain("r.txt:1: --index-url would let pip download from elsewhere than the mirror");
        problems[1].Should().Contain("r.txt:2: 'app @ https://example.org/app.whl' is a direct reference");
        problems[2].Should().Contain("r.txt:3: './local' is a direct reference");
        problems[3].Should().Contain("cannot read requirements file").And.Contain("missing.txt");
    }

    [Fact]
    public void Pins_are_the_sha256_hashes_of_requirements_without_a_marker_and_outside_constraints_files()
    {
        var one = new string('1', 64);
        var two = new string('2', 64);
        Write("constraints.txt", $"held==1.0 --hash=sha256:{new string('3', 64)}\n");
        var top = Write("lock.txt", $"""
            -c constraints.txt
            App[extra]==1.0 \
                --hash=sha256:{one} \
                --hash=sha256:{two.ToUpperInvariant()}
            lib==2.0 --hash=sha256:{one}
            winonly==1.0 ; sys_platform == "win32" --hash=sha256:{two}
            free>=1
            """);

        var pins = RequirementsFile.Read(top).Pins;

        pins.Select(p => p.Project).Should().Equal("App", "lib");
        pins[0].Sha256.Should().Equal(one, two);
        pins[1].Sha256.Should().Equal(one);
    }
}

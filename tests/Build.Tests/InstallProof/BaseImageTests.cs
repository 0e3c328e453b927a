using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Tests.InstallProof;

public sealed class BaseImageTests
{
    [Fact]
    public void Cache_key_ignores_order_and_duplicates_of_the_package_list()
    {
        var a = new BaseImage("bookworm", BaseImage.DefaultMirror, ["nginx", "curl", "adduser"]);
        var b = new BaseImage("bookworm", BaseImage.DefaultMirror, ["adduser", "nginx", "curl", "nginx"]);
        a.CacheKey.Should().Be(b.CacheKey);
        a.Packages.Should().Equal("adduser", "curl", "nginx");
    }

    [Theory]
    [InlineData("trixie", BaseImage.DefaultMirror, "nginx,curl,adduser")]
    [InlineData("bookworm", "http://mirror.example.org/debian", "nginx,curl,adduser")]
    [InlineData("bookworm", BaseImage.DefaultMirror, "nginx,curl,adduser,tzdata")]
    public void Cache_key_changes_with_suite_mirror_and_packages(string suite, string mirror, string packages)
    {
        var reference = new BaseImage("bookworm", BaseImage.DefaultMirror, ["nginx", "curl", "adduser"]);
        new BaseImage(suite, mirror, packages.Split(',')).CacheKey.Should().NotBe(reference.CacheKey);
    }

    [Fact]
    public void Cache_key_names_the_suite_and_is_safe_as_a_file_name()
    {
        var key = BaseImage.For("bookworm", []).CacheKey;
        key.Should().MatchRegex("^bookworm-[0-9a-f]{16}$");
    }

    [Fact]
    public void Mmdebstrap_command_boots_systemd_and_includes_the_tools_and_dependencies()
    {
        var image = BaseImage.For("bookworm", ["libssl3", "adduser"]);
        var command = image.MmdebstrapCommand("/cache/x.tar");
        command.Take(3).Should().Equal("mmdebstrap", "--variant=minbase", "--mode=root");
        command.TakeLast(3).Should().Equal("bookworm", "/cache/x.tar", BaseImage.DefaultMirror);
        var include = command.Single(a => a.StartsWith("--include=", StringComparison.Ordinal))["--include=".Length..].Split(',');
        include.Should().Contain(["systemd-sysv", "dbus", "nginx", "twine", "python3-venv", "libssl3", "adduser"]);
        include.Should().BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Fact]
    public void Dependencies_drop_versions_qualifiers_and_our_own_packages_and_alternatives_become_patterns()
    {
        var depends = "libc6 (>= 2.34), libssl3t64 | libssl3 | libssl1.1, zlib1g:amd64, wheelhouse-server (= 1.2.3-1), nginx";
        BaseImage.DependencyIncludes(depends, ["wheelhouse-server"]).Should().Equal(
            "libc6", "?and(?or(?exact-name(libssl3t64),?exact-name(libssl3),?exact-name(libssl1.1)),?not(?virtual))", "zlib1g", "nginx");
        BaseImage.DependencyIncludes("", []).Should().BeEmpty();
    }

    [Fact]
    public void Patterns_get_an_include_option_of_their_own()
    {
        var image = new BaseImage("bookworm", BaseImage.DefaultMirror, ["curl", "?or(?exact-name(a),?exact-name(b))", "nginx"]);
        image.MmdebstrapCommand("/x.tar").Should().Contain(["--include=curl,nginx", "--include=?or(?exact-name(a),?exact-name(b))"]);
    }
}

using System.IO.Compression;
using System.Security.Cryptography;
using Wheelhouse.Packaging.Apt;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Apt;

public sealed class AptRepositoryTests : IDisposable
{
    private readonly TempDirectory _dir = new("wh-apt");
    private readonly AptRepository _repository;
    private readonly AptRepositoryOptions _options = new("stable", ["amd64", "arm64"], TestDebs.Timestamp);

    public AptRepositoryTests() => _repository = new AptRepository(_dir.Combine("repo"));

    public void Dispose() => _dir.Dispose();

    private string Deb(string package, string version, string arch)
    {
        Directory.CreateDirectory(_dir.Combine("in"));
        return TestDebs.Write(_dir.Combine("in"), package, version, arch);
    }

    private string Index(string arch) => File.ReadAllText(_dir.Combine("repo", "dists", "stable", "main", $"binary-{arch}", "Packages"));

    [Fact]
    public async Task Packages_lists_each_deb_with_its_pool_path_size_and_digests()
    {
        var deb = Deb("wh-alpha", "1.0-1", "amd64");
        _repository.AddToPool([deb], _ => { });

        await _repository.PublishAsync(_options, signer: null);

        var index = Index("amd64");
        var bytes = File.ReadAllBytes(deb);
        index.Should().Contain("Package: wh-alpha\n")
            .And.Contain("Filename: pool/main/w/wh-alpha/wh-alpha_1.0-1_amd64.deb\n")
            .And.Contain($"Size: {bytes.Length}\n")
            .And.Contain($"MD5sum: {Convert.ToHexStringLower(MD5.HashData(bytes))}\n")
            .And.Contain($"SHA256: {Convert.ToHexStringLower(SHA256.HashData(bytes))}\n");
        index.IndexOf("SHA256:", StringComparison.Ordinal).Should().BeLessThan(index.IndexOf("Description:", StringComparison.Ordinal),
            "dpkg-scanpackages puts the Description last");
        Index("arm64").Should().BeEmpty("an amd64 package is not listed for arm64");
    }

    [Fact]
    public async Task Arch_all_packages_are_listed_for_every_architecture_and_stanzas_are_sorted()
    {
        _repository.AddToPool([Deb("wh-zulu", "1.0-1", "all"), Deb("wh-alpha", "1.10-1", "amd64"), Deb("wh-alpha", "1.9-1", "amd64"), Deb("wh-alpha", "1.9-1", "arm64")], _ => { });

        await _repository.PublishAsync(_options, signer: null);

        Versions(Index("amd64")).Should().Equal("wh-alpha 1.9-1", "wh-alpha 1.10-1", "wh-zulu 1.0-1");
        Versions(Index("arm64")).Should().Equal("wh-alpha 1.9-1", "wh-zulu 1.0-1");
    }

    [Fact]
    public async Task Publishing_again_keeps_the_versions_already_in_the_pool()
    {
        _repository.AddToPool([Deb("wh-alpha", "1.0-1", "amd64")], _ => { });
        await _repository.PublishAsync(_options, signer: null);

        _repository.AddToPool([Deb("wh-alpha", "1.1-1", "amd64")], _ => { });
        await _repository.PublishAsync(_options, signer: null);

        Versions(Index("amd64")).Should().Equal("wh-alpha 1.0-1", "wh-alpha 1.1-1");
    }

    [Fact]
    public void Adding_the_same_file_twice_is_a_no_op_and_a_different_one_is_a_warning()
    {
        var deb = Deb("wh-alpha", "1.0-1", "amd64");
        _repository.AddToPool([deb], _ => { }).Should().ContainSingle();
        _repository.AddToPool([deb], _ => { }).Should().BeEmpty();

        File.AppendAllText(deb, "changed");
        var warnings = new List<string>();
        _repository.AddToPool([deb], warnings.Add).Should().ContainSingle();
        warnings.Should().ContainSingle().Which.Should().Contain("replacing pool/main/w/wh-alpha/wh-alpha_1.0-1_amd64.deb");
    }

    [Fact]
    public async Task Release_lists_every_index_with_digests_that_match_the_files()
    {
        _repository.AddToPool([Deb("wh-alpha", "1.0-1", "amd64")], _ => { });

        var releasePath = await _repository.PublishAsync(_options, signer: null);

        // Sizes are right-aligned in their column, as in Debian's Release files.
        var release = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(releasePath), " +", " ");
        release.Should().StartWith("Origin: Wheelhouse\nLabel: Wheelhouse\nSuite: stable\nCodename: stable\nDate: Fri, 02 Jan 2026 03:04:05 UTC\n")
            .And.Contain("Architectures: amd64 arm64\n").And.Contain("Components: main\n");
        foreach (var arch in new[] { "amd64", "arm64" })
        {
            foreach (var name in new[] { "Packages", "Packages.gz", "Packages.xz" })
            {
                var relative = $"main/binary-{arch}/{name}";
                var bytes = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(releasePath)!, relative));
                release.Should().Contain($" {Convert.ToHexStringLower(SHA256.HashData(bytes))} {bytes.Length} {relative}\n")
                    .And.Contain($" {Convert.ToHexStringLower(SHA512.HashData(bytes))} {bytes.Length} {relative}\n");
            }
        }
    }

    [Integration]
    [Fact]
    public async Task Compressed_indexes_hold_the_same_text_and_gzip_carries_no_time()
    {
        _repository.AddToPool([Deb("wh-alpha", "1.0-1", "amd64")], _ => { });
        await _repository.PublishAsync(_options, signer: null);
        var directory = _dir.Combine("repo", "dists", "stable", "main", "binary-amd64");

        var gz = File.ReadAllBytes(Path.Combine(directory, "Packages.gz"));
        BitConverter.ToInt32(gz, 4).Should().Be(0);
        using var reader = new StreamReader(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress));
        reader.ReadToEnd().Should().Be(Index("amd64"));
        var xz = await Tests.Deb.ProcessRunner.RunAsync("xz", ["-dc", Path.Combine(directory, "Packages.xz")]);
        xz.StandardOutput.Should().Be(Index("amd64"));
    }

    [Fact]
    public async Task The_same_pool_gives_byte_identical_indexes()
    {
        _repository.AddToPool([Deb("wh-alpha", "1.0-1", "amd64"), Deb("wh-zulu", "1.0-1", "all")], _ => { });
        var first = File.ReadAllBytes(await _repository.PublishAsync(_options, signer: null));
        var other = new AptRepository(_dir.Combine("repo2"));
        other.AddToPool(Directory.GetFiles(_dir.Combine("in")).Reverse(), _ => { });

        var second = File.ReadAllBytes(await other.PublishAsync(_options, signer: null));

        second.Should().Equal(first, "the Release (and so every index it hashes) is the same");
    }

    [Fact]
    public void Pool_paths_follow_debian_including_lib_prefixes()
    {
        AptRepository.PoolPath(Packaging.Deb.ControlFile.Parse("Package: libfoo1\nVersion: 1:2.0-1\nArchitecture: arm64\nMaintainer: A <a@b.c>\nDescription: x\n"))
            .Should().Be("pool/main/libf/libfoo1/libfoo1_2.0-1_arm64.deb");
    }

    private static List<string> Versions(string index) =>
        index.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(stanza => stanza.Split('\n'))
            .Select(lines => $"{Field(lines, "Package")} {Field(lines, "Version")}")
            .ToList();

    private static string Field(string[] lines, string name) => lines.Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];
}

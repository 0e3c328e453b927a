using Microsoft.Data.Sqlite;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Hosting;

namespace Wheelhouse.Server.Tests.Hosting;

/// <summary>The start-up serve, init and layout apply share, directly on a temporary data directory.</summary>
public sealed class DataDirectoryStartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wh-startup-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    private ServerOptions Options(string? rootPassword) => new() { DataDirectory = _dir, RootPassword = rootPassword };

    private static readonly PasswordHasher Hasher = new(iterations: 1000);

    [Fact]
    public async Task A_first_open_creates_root_a_second_leaves_root_alone_and_init_resets_its_password()
    {
        var (first, created) = await DataDirectoryStartup.OpenAsync(Options("one"), Hasher, setConfiguredRootPassword: false);
        string firstHash;
        using (first)
        {
            created.Should().Be("created user root with the configured password");
            using var reader = first.Read();
            firstHash = reader.User("root")!.PasswordHash;
            reader.Indexes().Should().ContainSingle(i => i.User == "root" && i.Name == "pypi");
        }

        var (second, unchanged) = await DataDirectoryStartup.OpenAsync(Options("two"), Hasher, setConfiguredRootPassword: false);
        using (second)
        {
            unchanged.Should().BeNull("serve and layout apply never change an existing root");
        }

        var (third, reset) = await DataDirectoryStartup.OpenAsync(Options("two"), Hasher, setConfiguredRootPassword: true);
        using (third)
        {
            reset.Should().Be("set the root password to the configured one");
            using var reader = third.Read();
            var hash = reader.User("root")!.PasswordHash;
            hash.Should().NotBe(firstHash);
            Hasher.Verify("root", "two", hash).Should().BeTrue();
        }
    }

    [Fact]
    public async Task Opening_leaves_blobs_alone_because_a_running_server_may_be_between_publish_and_commit()
    {
        (await DataDirectoryStartup.OpenAsync(Options("pw"), Hasher, setConfiguredRootPassword: false)).Store.Dispose();
        var blob = Path.Combine(_dir, "+files", "sha256", "ab", new string('c', 62));
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        await File.WriteAllTextAsync(blob, "published, not yet committed");
        (await DataDirectoryStartup.OpenAsync(Options("pw"), Hasher, setConfiguredRootPassword: false)).Store.Dispose();
        File.Exists(blob).Should().BeTrue("only serve collects unreferenced blobs, under the write lock");
    }
}

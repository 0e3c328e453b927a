using Wheelhouse.Server.Auth;

namespace Wheelhouse.Server.Tests.Auth;

/// <summary>The login secret of a data directory that several nodes share.</summary>
public sealed class TokenSecretTests
{
    [Fact]
    public async Task Nodes_starting_at_once_on_a_shared_data_directory_all_get_the_same_secret()
    {
        var data = Directory.CreateTempSubdirectory("wh-secret-").FullName;
        try
        {
            for (var round = 0; round < 20; round++)
            {
                File.Delete(Path.Combine(data, ".secret"));
                using var start = new ManualResetEventSlim();
                var nodes = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
                {
                    start.Wait();
                    return TokenService.LoadOrCreateSecret(data);
                })).ToList();
                start.Set();
                var secrets = await Task.WhenAll(nodes);
                secrets.Select(Convert.ToHexString).Distinct().Should().ContainSingle("a token one node issues must be valid on the others");
                Convert.ToHexString(secrets[0]).Should().Be(Convert.ToHexString(File.ReadAllBytes(Path.Combine(data, ".secret"))));
            }
            Directory.EnumerateFiles(data, "*.tmp").Should().BeEmpty();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void A_damaged_secret_is_replaced()
    {
        var data = Directory.CreateTempSubdirectory("wh-secret-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(data, ".secret"), [1, 2, 3]);
            var secret = TokenService.LoadOrCreateSecret(data);
            secret.Should().HaveCount(32);
            File.ReadAllBytes(Path.Combine(data, ".secret")).Should().Equal(secret);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

using System.Reflection;
using System.Text.Json.Nodes;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Hosting;

/// <summary>The server reports the version the build stamped on it (issue 9, item 10).</summary>
public sealed class ServerVersionTests
{
    [Theory]
    [InlineData("0.0.0~dev.128+g0ed3047-1")]
    [InlineData("1.4.0-1")]
    [InlineData("2:1.4.0+really1.3-2")]
    public void A_stamped_package_version_is_reported_whole(string stamped) =>
        ServerVersion.From(stamped).Should().Be(stamped);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_unstamped_build_says_so(string? stamped) =>
        ServerVersion.From(stamped).Should().Be(ServerVersion.Unstamped);

    [Integration]
    [Fact]
    public async Task Header_status_and_assembly_agree_on_the_stamped_version()
    {
        var stamped = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        stamped.Should().NotContain("1.0.0", "a build without -p:InformationalVersion must not claim the SDK's default version");
        await using var server = await TestServer.StartAsync();
        using var response = await server.SendAsync(HttpMethod.Get, "+status");
        response.Headers.GetValues("X-Devpi-Server-Version").Should().Equal(stamped);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!["serverversion"]!.GetValue<string>().Should().Be(stamped);
    }
}

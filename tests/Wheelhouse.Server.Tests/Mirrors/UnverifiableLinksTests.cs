using System.Net;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Mirrors;

/// <summary>
/// An upstream whose links carry no sha256 (static trees from old generators): the mirror has no content address to
/// serve such a file under, nor a way to check it, so it leaves it out, and its log says so rather than nothing.
/// </summary>
[Integration]
public sealed class UnverifiableLinksTests
{
    [Fact]
    public async Task Files_without_a_sha256_are_left_out_and_the_log_names_the_mirror_and_the_project()
    {
        var wheels = new Dictionary<string, byte[]> { [Distributions.WheelName("nohash", "1.0")] = Distributions.Wheel("nohash", "1.0") };
        await using var setup = await StaticTreeMirror.StartAsync(wheels, hashes: false);

        using var page = await setup.Server.Client.GetAsync($"{setup.Mirror}/+simple/nohash/");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().NotContain(".whl");
        setup.Server.Log.Text.Should().Contain("mirror ops/upstream: 1 of 1 files on the upstream page of nohash carry no sha256 and are left out");
    }
}

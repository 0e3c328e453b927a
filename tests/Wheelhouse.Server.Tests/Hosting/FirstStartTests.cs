using System.Net;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Hosting;

/// <summary>
/// The first start hashes root's password while the schema is made (a draft started before the database exists):
/// whichever password the draft chose must be the one root logs in with, and a later start must not change it.
/// </summary>
[Integration]
public class FirstStartTests
{
    [Fact]
    public async Task A_generated_root_password_is_written_once_and_is_the_one_root_logs_in_with()
    {
        var data = Directory.CreateTempSubdirectory("wh-first-start-").FullName;
        var server = await TestServer.StartAsync(o => o with { RootPassword = null }, data);
        var password = (await File.ReadAllTextAsync(Path.Combine(data, RootAccount.PasswordFileName))).Trim();
        (await server.SendAsync(HttpMethod.Patch, "root", "root", password, """{"email": "root@example.com"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await server.SendAsync(HttpMethod.Patch, "root", "root", "not-" + password, """{"email": "x@example.com"}""")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        await server.StopKeepingDataAsync();

        await using var again = await TestServer.StartAsync(o => o with { RootPassword = null }, data);
        (await File.ReadAllTextAsync(Path.Combine(data, RootAccount.PasswordFileName))).Trim().Should().Be(password, "the second start finds root and leaves it alone");
        (await again.SendAsync(HttpMethod.Patch, "root", "root", password, """{"email": "root@example.org"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_configured_root_password_works_from_the_first_start_and_a_changed_one_is_ignored_later()
    {
        var data = Directory.CreateTempSubdirectory("wh-first-start-").FullName;
        var server = await TestServer.StartAsync(dataDirectory: data);
        (await server.SendAsync(HttpMethod.Patch, "root", "root", TestServer.RootPassword, """{"email": "root@example.com"}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        File.Exists(Path.Combine(data, RootAccount.PasswordFileName)).Should().BeFalse("a configured password is not written anywhere");
        await server.StopKeepingDataAsync();

        await using var again = await TestServer.StartAsync(o => o with { RootPassword = "a-different-one" }, data);
        (await again.SendAsync(HttpMethod.Patch, "root", "root", TestServer.RootPassword, """{"email": "root@example.org"}""")).StatusCode.Should().Be(HttpStatusCode.OK, "serve sets root's password only when it creates root");
    }
}

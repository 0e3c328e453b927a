using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Tests.Ldap;

public sealed class CachedDirectoryLoginTests
{
    private sealed class CountingDirectory : IDirectoryLogin
    {
        public int Calls { get; private set; }

        public DirectoryAnswerKind Next { get; set; } = DirectoryAnswerKind.Accepted;

        public bool Enabled => true;

        public DirectoryAnswer Authenticate(string user, string password)
        {
            Calls++;
            return Next switch
            {
                DirectoryAnswerKind.Accepted when password == "right" => DirectoryAnswer.Accepted($"uid={user}", ["g"]),
                DirectoryAnswerKind.Unavailable => DirectoryAnswer.Unavailable("down"),
                _ => DirectoryAnswer.Refused,
            };
        }

        public DirectoryAnswer Find(string user) => DirectoryAnswer.Known($"uid={user}");
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static LdapSettings Settings(int size = 10) => new()
    {
        Source = "test",
        Servers = [new LdapServer(new Uri("ldap://x"), false, null)],
        CacheLifetime = TimeSpan.FromMinutes(5),
        CacheSize = size,
    };

    [Fact]
    public void A_remembered_log_in_asks_the_directory_once_until_it_expires()
    {
        var inner = new CountingDirectory();
        var clock = new Clock();
        var cache = new CachedDirectoryLogin(inner, Settings(), clock);
        cache.Authenticate("alice", "right").Groups.Should().Equal("g");
        cache.Authenticate("alice", "right").Groups.Should().Equal("g");
        inner.Calls.Should().Be(1);
        clock.Now += TimeSpan.FromMinutes(6);
        cache.Authenticate("alice", "right");
        inner.Calls.Should().Be(2);
    }

    [Fact]
    public void Wrong_passwords_and_outages_are_never_remembered()
    {
        var inner = new CountingDirectory();
        var cache = new CachedDirectoryLogin(inner, Settings(), new Clock());
        cache.Authenticate("alice", "right");
        cache.Authenticate("alice", "wrong").Kind.Should().Be(DirectoryAnswerKind.Refused);
        cache.Authenticate("alice", "wrong").Kind.Should().Be(DirectoryAnswerKind.Refused);
        inner.Calls.Should().Be(3, "each wrong password reaches the directory (and the failed-login limit)");
        inner.Next = DirectoryAnswerKind.Unavailable;
        cache.Authenticate("bob", "right").Kind.Should().Be(DirectoryAnswerKind.Unavailable);
        cache.Authenticate("bob", "right").Kind.Should().Be(DirectoryAnswerKind.Unavailable);
        inner.Calls.Should().Be(5);
        cache.Authenticate("alice", "").Kind.Should().Be(DirectoryAnswerKind.Refused, "an empty password never reaches the directory");
        inner.Calls.Should().Be(5);
    }

    [Fact]
    public void The_cache_holds_at_most_its_size()
    {
        var inner = new CountingDirectory();
        var cache = new CachedDirectoryLogin(inner, Settings(size: 10), new Clock());
        for (var i = 0; i < 100; i++)
        {
            cache.Authenticate($"user{i}", "right");
        }
        cache.Count.Should().BeLessThanOrEqualTo(10);
    }
}

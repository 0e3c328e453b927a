using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Tests.Indexes;

public class ReportedKeysTests
{
    private static readonly JsonObject Reported = JsonNode.Parse("""{"username": "alice", "created": "2026-01-02T03:04:05Z", "indexes": {"dev": {"type": "stage"}}, "email": "a@b"}""")!.AsObject();

    [Fact]
    public void Unchanged_reported_keys_are_dropped_and_the_rest_kept()
    {
        var problems = new List<string>();
        var body = JsonNode.Parse("""{"username": "alice", "created": "2026-01-02T03:04:05Z", "indexes": {"dev": {"type": "stage"}}, "email": "new@b"}""")!.AsObject();
        var rest = ReportedKeys.Without(body, Reported, ReportedKeys.User, "user alice", problems);
        problems.Should().BeEmpty();
        rest.ToJsonString().Should().Be("""{"email":"new@b"}""");
    }

    [Fact]
    public void Changed_reported_keys_are_each_refused_naming_the_key()
    {
        var problems = new List<string>();
        var body = JsonNode.Parse("""{"username": "bob", "created": "2000-01-01T00:00:00Z", "indexes": {}}""")!.AsObject();
        ReportedKeys.Without(body, Reported, ReportedKeys.User, "user alice", problems);
        problems.Should().HaveCount(3);
        problems[1].Should().Contain("'created' cannot be changed").And.Contain("2026-01-02T03:04:05Z");
    }
}

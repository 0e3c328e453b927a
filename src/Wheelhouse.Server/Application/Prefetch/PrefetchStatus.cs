using System.Globalization;
using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Application.Prefetch;

/// <summary>What a mirror's last pre-fetch run did, shown as <c>prefetch_status</c> in the index's JSON view.</summary>
/// <param name="Fetched">File names stored by the run.</param>
/// <param name="Failed">One line per project or file that could not be fetched, with the reason.</param>
/// <param name="Stopped">Why the run ended early (the disk budget), or null.</param>
public sealed record PrefetchStatus(
    DateTimeOffset Started, DateTimeOffset Finished, int Projects, IReadOnlyList<string> Fetched, long FetchedBytes, IReadOnlyList<string> Failed,
    string? Stopped, DateTimeOffset NextRun)
{
    public JsonObject ToJson() => new()
    {
        ["last_run"] = Time(Started),
        ["finished"] = Time(Finished),
        ["projects"] = Projects,
        ["fetched"] = new JsonArray(Fetched.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        ["fetched_bytes"] = FetchedBytes,
        ["failed"] = new JsonArray(Failed.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
        ["stopped"] = Stopped,
        ["next_run"] = Time(NextRun),
    };

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Application.Prefetch;

/// <summary>
/// What a mirror's last pre-fetch run did, shown as <c>prefetch_status</c> in the index's JSON view and stored as that
/// JSON with the index (so a restart, or another node, knows it and when the next run is due).
/// </summary>
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

    /// <summary>A status as <see cref="ToJson"/> wrote it; null for none, or for one this version cannot read (the next run is then due).</summary>
    public static PrefetchStatus? FromJson(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            var o = JsonNode.Parse(json)!.AsObject();
            return new PrefetchStatus(ParseTime(o["last_run"]), ParseTime(o["finished"]), (int)o["projects"]!,
                Strings(o["fetched"]), (long)o["fetched_bytes"]!, Strings(o["failed"]), (string?)o["stopped"], ParseTime(o["next_run"]));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => (string)n!).ToList();

    private static DateTimeOffset ParseTime(JsonNode? node) =>
        DateTimeOffset.ParseExact((string)node!, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}

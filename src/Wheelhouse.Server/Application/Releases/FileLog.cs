using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// devpi's file log (spec "Push": each file's <c>log</c> in <c>+links</c>): a list of entries, one per upload, push,
/// mirror fetch or fill, each with <c>what</c>, <c>who</c> (when a user did it), <c>when</c> as [Y, M, D, h, m, s] in UTC,
/// <c>src</c> (push) and <c>dst</c>.
/// </summary>
public static class FileLog
{
    /// <summary>The log of a file uploaded by <paramref name="who"/> (null: anonymous, as a test result may be) to <paramref name="index"/>.</summary>
    public static string Upload(string? who, DateTimeOffset when, string index) =>
        new JsonArray(Entry("upload", who, when, null, index)).ToJsonString();

    /// <summary>The log of a file a mirror fetched from its upstream.</summary>
    public static string Mirror(DateTimeOffset when, string index) =>
        new JsonArray(Entry("mirror", null, when, null, index)).ToJsonString();

    /// <summary><paramref name="log"/> with a push entry added (the pushed copy keeps the source's history).</summary>
    public static string Pushed(string log, string who, DateTimeOffset when, string source, string target)
    {
        var entries = JsonNode.Parse(log) as JsonArray ?? [];
        entries.Add(Entry("push", who, when, source, target));
        return entries.ToJsonString();
    }

    /// <summary><paramref name="log"/> with a fill entry added: <c>wheelhouse-server fill</c> copied the file from <paramref name="source"/>.</summary>
    public static string Filled(string log, string who, DateTimeOffset when, string source, string target)
    {
        var entries = JsonNode.Parse(log) as JsonArray ?? [];
        entries.Add(Entry("fill", who, when, source, target));
        return entries.ToJsonString();
    }

    private static JsonObject Entry(string what, string? who, DateTimeOffset when, string? source, string target)
    {
        var utc = when.ToUniversalTime();
        var entry = new JsonObject { ["what"] = what };
        if (who is not null)
        {
            entry["who"] = who;
        }
        entry["when"] = new JsonArray(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, utc.Second);
        if (source is not null)
        {
            entry["src"] = source;
        }
        entry["dst"] = target;
        return entry;
    }
}

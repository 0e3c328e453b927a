using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Indexes;
using Wheelhouse.Core.Packages;
using Wheelhouse.Core.Versions;

namespace Wheelhouse.Server.Application.Push;

/// <summary>The JSON body of a push (spec "Push"): <c>name</c>, <c>version</c>, <c>targetindex</c>, optional <c>no_docs</c>/<c>only_docs</c>.</summary>
public sealed record PushRequest(ProjectName Project, Pep440Version Version, IndexPath Target, bool NoDocs, bool OnlyDocs)
{
    private static readonly string[] Keys = ["name", "version", "targetindex", "no_docs", "only_docs"];

    /// <summary>Every problem of the body at once.</summary>
    public static Validated<PushRequest> Parse(JsonObject body)
    {
        var problems = new List<string>();
        foreach (var key in body.Select(p => p.Key).Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
        {
            problems.Add($"unknown push key '{key}'; keys are {string.Join(", ", Keys)}");
        }
        ProjectName? project = null;
        Pep440Version? version = null;
        IndexPath? target = null;
        if (Text(body, "name", problems) is { } name && !ProjectName.TryParse(name, out project, out var nameError))
        {
            problems.Add($"invalid 'name': {nameError}");
        }
        if (Text(body, "version", problems) is { } v && !Pep440Version.TryParse(v, out version, out var versionError))
        {
            problems.Add($"invalid 'version': {versionError}");
        }
        if (Text(body, "targetindex", problems) is { } t && !IndexPath.TryParse(t, out target, out var targetError))
        {
            problems.Add($"invalid 'targetindex' (expected user/index): {targetError}");
        }
        var noDocs = Flag(body, "no_docs", problems);
        var onlyDocs = Flag(body, "only_docs", problems);
        if (noDocs && onlyDocs)
        {
            problems.Add("no_docs and only_docs exclude each other");
        }
        return problems.Count > 0
            ? new Validated<PushRequest>.Invalid(problems)
            : new Validated<PushRequest>.Valid(new PushRequest(project!, version!, target!, noDocs, onlyDocs));
    }

    private static string? Text(JsonObject body, string key, List<string> problems)
    {
        if (body[key] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return text;
        }
        problems.Add($"push needs '{key}' (a non-empty string)");
        return null;
    }

    private static bool Flag(JsonObject body, string key, List<string> problems)
    {
        switch (body[key])
        {
            case null:
                return false;
            case JsonValue value when value.TryGetValue<bool>(out var b):
                return b;
            case JsonValue value when value.TryGetValue<string>(out var s) && s.ToLowerInvariant() is "true" or "yes" or "false" or "no":
                return s.ToLowerInvariant() is "true" or "yes";
            default:
                problems.Add($"'{key}' must be true or false");
                return false;
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Application.Fill;

/// <summary>
/// The optional <c>prefetch</c> of a fill request: the files the requirements pin by hash (<c>projects</c>:
/// <c>[{"name", "sha256": [...]}]</c>) and the <c>platforms</c> and <c>python_versions</c> pip is asked for. The mirror
/// fetches them while pip starts (<see cref="FillPrefetch"/>), so pip's requests, one after the other, find them stored.
/// Which of a project's pinned files pip will take is pip's to decide; <see cref="Wants"/> takes only those it surely
/// may (pure-Python wheels, and wheels built for a requested platform and Python version): a file left out is
/// fetched when pip asks for it, as without a prefetch.
/// </summary>
public sealed partial record FillPrefetchRequest(IReadOnlyList<FillPrefetchRequest.Project> Projects, IReadOnlyList<string> Platforms, IReadOnlyList<string> PythonVersions)
{
    public sealed record Project(ProjectName Name, IReadOnlySet<string> Sha256);

    private static readonly string[] Keys = ["projects", "platforms", "python_versions"];

    /// <summary>Whether <paramref name="file"/> is a wheel pip would download for these platforms and Python versions.</summary>
    public bool Wants(DistributionFileName file)
    {
        if (file.WheelTags is not { } tags)
        {
            return false; // fill downloads wheels only
        }
        var pythons = tags.PythonTag.Split('.');
        if (tags.AbiTag == "none" && tags.PlatformTag == "any")
        {
            return pythons.Any(p => p.StartsWith("py3", StringComparison.Ordinal));
        }
        return tags.PlatformTag.Split('.').Any(p => Platforms.Contains(p, StringComparer.Ordinal))
            && PythonVersions.Any(v => ForPython(pythons, tags.AbiTag, v));
    }

    private static bool ForPython(string[] pythons, string abi, string version)
    {
        // pip's forms: "3", "3.11", "3.11.4" and "311"
        var parts = version.Split('.');
        var digits = parts.Length > 1 ? parts[0] + parts[1] : parts[0];
        var minor = digits.Length > 1 ? int.Parse(digits[1..], CultureInfo.InvariantCulture) : -1;
        return pythons.Any(p => p == "cp" + digits || p == "py" + digits || p == "py3"
            || (abi == "abi3" && p.StartsWith("cp3", StringComparison.Ordinal) && p.Length > 3
                && int.TryParse(p[3..], CultureInfo.InvariantCulture, out var built) && built <= minor));
    }

    /// <summary>Every problem at once, each prefixed with where it is.</summary>
    public static FillPrefetchRequest? Parse(JsonNode? node, List<string> problems)
    {
        if (node is not JsonObject body)
        {
            problems.Add("'prefetch' must be an object with 'projects' (and optionally 'platforms' and 'python_versions')");
            return null;
        }
        var before = problems.Count;
        foreach (var key in body.Select(p => p.Key).Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
        {
            problems.Add($"unknown prefetch key '{key}'; keys are {string.Join(", ", Keys)}");
        }
        var projects = new List<Project>();
        if (body["projects"] is not JsonArray array)
        {
            problems.Add("prefetch needs 'projects': a list of {\"name\", \"sha256\": [...]}");
        }
        else if (array.Count > FillRequest.MaxFiles)
        {
            problems.Add($"prefetch lists {array.Count} projects; at most {FillRequest.MaxFiles}");
        }
        else
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (ParseProject(array[i], i, problems) is { } project)
                {
                    projects.Add(project);
                }
            }
        }
        var platforms = Strings(body["platforms"], "platforms", Platform(), "a platform tag such as manylinux2014_x86_64", problems);
        var versions = Strings(body["python_versions"], "python_versions", PythonVersion(), "a Python version such as 3.11 or 311", problems);
        return problems.Count > before ? null : new FillPrefetchRequest(projects, platforms, versions);
    }

    private static Project? ParseProject(JsonNode? node, int i, List<string> problems)
    {
        if (node is not JsonObject entry || entry["name"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)
            || entry["sha256"] is not JsonArray hashes)
        {
            problems.Add($"prefetch.projects[{i}] must be an object with the string 'name' and the list 'sha256'");
            return null;
        }
        if (!ProjectName.TryParse(name, out var project))
        {
            problems.Add($"prefetch.projects[{i}]: '{name}' is not a project name");
            return null;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hash in hashes)
        {
            if (hash is not JsonValue value || !value.TryGetValue<string>(out var sha) || sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
            {
                problems.Add($"prefetch.projects[{i}] ({name}): each sha256 must be 64 lower-case hex digits");
                return null;
            }
            set.Add(sha);
        }
        return new Project(project, set);
    }

    private static List<string> Strings(JsonNode? node, string key, Regex valid, string what, List<string> problems)
    {
        if (node is null)
        {
            return [];
        }
        if (node is not JsonArray array || array.Count > 100)
        {
            problems.Add($"prefetch '{key}' must be a list (at most 100) of strings, each {what}");
            return [];
        }
        var values = new List<string>();
        foreach (var item in array)
        {
            if (item is not JsonValue value || !value.TryGetValue<string>(out var text) || !valid.IsMatch(text))
            {
                problems.Add($"prefetch '{key}': {item?.ToJsonString() ?? "null"} is not {what}");
                continue;
            }
            values.Add(text);
        }
        return values;
    }

    // More lenient than fill's own checks of --platform and --python-version (FillArguments): a prefetch never refuses a fill they let through.
    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,1000}$")]
    private static partial Regex Platform();

    [GeneratedRegex(@"^[0-9]{1,4}(\.[0-9]{1,4}){0,2}$")]
    private static partial Regex PythonVersion();
}

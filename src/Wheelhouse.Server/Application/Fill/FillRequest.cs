using System.Text.Json.Nodes;
using Wheelhouse.Core;
using Wheelhouse.Core.Distributions;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Server.Application.Fill;

/// <summary>
/// The JSON body of <c>POST /{user}/{index}/+fill</c>: <c>from</c> (the index the files were downloaded through),
/// <c>files</c> (<c>[{"filename", "sha256"}]</c>, what pip downloaded and its hashes as the client computed them) and
/// optional <c>dry_run</c> (say what would be copied, change nothing). An empty
/// dry run checks the caller's rights before pip downloads anything; with <c>prefetch</c>
/// (<see cref="FillPrefetchRequest"/>) it also starts fetching into the mirror what pip will ask it for.
/// </summary>
public sealed record FillRequest(IndexPath From, IReadOnlyList<FillRequest.File> Files, bool DryRun, FillPrefetchRequest? Prefetch = null)
{
    public sealed record File(string FileName, string Sha256);

    /// <summary>More than a requirements file of any real project resolves to; a bound on one unit of work.</summary>
    public const int MaxFiles = 20_000;

    private static readonly string[] Keys = ["from", "files", "dry_run", "prefetch"];

    /// <summary>Every problem of the body at once.</summary>
    public static Validated<FillRequest> Parse(JsonObject body)
    {
        var problems = new List<string>();
        foreach (var key in body.Select(p => p.Key).Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
        {
            problems.Add($"unknown fill key '{key}'; keys are {string.Join(", ", Keys)}");
        }
        IndexPath? from = null;
        if (body["from"] is not JsonValue fromValue || !fromValue.TryGetValue<string>(out var fromText))
        {
            problems.Add("fill needs 'from': the index the files were downloaded through, as user/index");
        }
        else if (!IndexPath.TryParse(fromText, out from, out var fromError))
        {
            problems.Add($"invalid 'from' (expected user/index): {fromError}");
        }
        var files = new List<File>();
        if (body["files"] is not JsonArray array)
        {
            problems.Add("fill needs 'files': a list of {\"filename\", \"sha256\"}");
        }
        else if (array.Count > MaxFiles)
        {
            problems.Add($"'files' lists {array.Count} files; at most {MaxFiles} are filled at once");
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < array.Count; i++)
            {
                if (ParseFile(array[i], i, problems) is not { } file)
                {
                    continue;
                }
                if (!seen.Add(file.FileName))
                {
                    problems.Add($"files[{i}]: {file.FileName} is listed twice");
                }
                files.Add(file);
            }
        }
        var dryRun = false;
        if (body["dry_run"] is { } dry && (dry is not JsonValue dryValue || !dryValue.TryGetValue(out dryRun)))
        {
            problems.Add("'dry_run' must be true or false");
        }
        var prefetch = body["prefetch"] is { } ahead ? FillPrefetchRequest.Parse(ahead, problems) : null;
        return problems.Count > 0
            ? new Validated<FillRequest>.Invalid(problems)
            : new Validated<FillRequest>.Valid(new FillRequest(from!, files, dryRun, prefetch));
    }

    private static File? ParseFile(JsonNode? node, int i, List<string> problems)
    {
        if (node is not JsonObject entry
            || entry["filename"] is not JsonValue nameValue || !nameValue.TryGetValue<string>(out var name)
            || entry["sha256"] is not JsonValue shaValue || !shaValue.TryGetValue<string>(out var sha))
        {
            problems.Add($"files[{i}] must be an object with the strings 'filename' and 'sha256'");
            return null;
        }
        if (!DistributionFileName.TryParse(name, out _, out var nameError))
        {
            problems.Add($"files[{i}]: '{name}' is not a distribution file name: {nameError}");
            return null;
        }
        if (sha.Length != 64 || !sha.All(char.IsAsciiHexDigitLower))
        {
            problems.Add($"files[{i}]: sha256 of {name} must be 64 lower-case hex digits");
            return null;
        }
        return new File(name, sha);
    }
}

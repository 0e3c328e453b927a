using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// What <c>fill</c> needs to know of a pip requirements file before pip reads it: every file it includes (<c>-r</c>,
/// <c>-c</c>), lines that would make pip download from somewhere other than the mirror (refused: the server could not
/// vouch for such files), whether every requirement is pinned with <c>==</c> and <c>--hash</c> (then the same
/// files resolve to the same downloads, and a repeated fill may skip pip), and the sha256 pins of each requirement
/// without a marker (<see cref="Pins"/>: what the mirror may fetch ahead of pip). Resolution itself stays pip's.
/// </summary>
public sealed partial record RequirementsFile(IReadOnlyList<string> Files, bool FullyPinned, string Digest, IReadOnlyList<string> Problems,
    IReadOnlyList<RequirementsFile.Pin> Pins)
{
    /// <summary>A requirement's project and the sha256 hashes its <c>--hash</c> options allow.</summary>
    public sealed record Pin(string Project, IReadOnlyList<string> Sha256);

    private static readonly string[] ForeignSources = ["-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--no-index", "-e", "--editable"];

    public static RequirementsFile Read(string path)
    {
        var files = new List<string>();
        var problems = new List<string>();
        var pins = new List<Pin>();
        var pinned = true;
        var requirements = 0;
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Visit(Path.GetFullPath(path), files, problems, pins, digest, ref pinned, ref requirements, depth: 0, constraints: false);
        return new RequirementsFile(files, pinned && requirements > 0, Convert.ToHexStringLower(digest.GetHashAndReset()), problems, pins);
    }

    /// <param name="constraints">A constraints file (<c>-c</c>): pip downloads what it names only when something requires it.</param>
    private static void Visit(string path, List<string> files, List<string> problems, List<Pin> pins, IncrementalHash digest, ref bool pinned,
        ref int requirements, int depth, bool constraints)
    {
        if (files.Contains(path, StringComparer.Ordinal) || depth > 20)
        {
            return;
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"cannot read requirements file {path}: {e.Message}");
            return;
        }
        files.Add(path);
        digest.AppendData(Encoding.UTF8.GetBytes($"{path}\n{text.Length}\n{text}"));
        foreach (var (number, line) in LogicalLines(text))
        {
            var words = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var first = words[0].Split('=')[0];
            if (first is "-r" or "--requirement" or "-c" or "--constraint")
            {
                var include = words[0].Contains('=') ? words[0][(words[0].IndexOf('=') + 1)..] : words.ElementAtOrDefault(1);
                if (include is null)
                {
                    problems.Add($"{path}:{number}: {first} needs a file name");
                    continue;
                }
                if (include.Contains("://", StringComparison.Ordinal))
                {
                    problems.Add($"{path}:{number}: {first} {include}: fill reads only local requirements files");
                    continue;
                }
                Visit(Path.GetFullPath(include, Path.GetDirectoryName(path)!), files, problems, pins, digest, ref pinned, ref requirements, depth + 1,
                    constraints || first is "-c" or "--constraint");
                continue;
            }
            if (ForeignSources.Contains(first, StringComparer.Ordinal))
            {
                problems.Add($"{path}:{number}: {first} would let pip download from elsewhere than the mirror, and fill copies only what the mirror "
                    + "stored; remove the line (fill passes the mirror's URL to pip itself)");
                continue;
            }
            if (line.StartsWith('-'))
            {
                continue; // other global options (--pre, --prefer-binary, ...) change what pip picks, not where it downloads from
            }
            var requirement = line.Split(" --", 2)[0].Split(';', 2)[0];
            if (requirement.Contains(" @ ", StringComparison.Ordinal) || requirement.Contains("://", StringComparison.Ordinal)
                || requirement.StartsWith('.') || requirement.StartsWith('/'))
            {
                problems.Add($"{path}:{number}: '{requirement.Trim()}' is a direct reference (URL or path); fill takes requirements by name from the mirror");
                continue;
            }
            requirements++;
            pinned &= ExactPin().IsMatch(requirement) && line.Contains("--hash=", StringComparison.Ordinal);
            var hashes = Sha256Hash().Matches(line).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToList();
            if (hashes.Count > 0 && !constraints && !line.Split(" --", 2)[0].Contains(';', StringComparison.Ordinal)
                && ProjectName.AtStartOf(requirement) is { } project)
            {
                pins.Add(new Pin(project, hashes));
            }
        }
    }

    /// <summary>The requirement lines with continuations joined and comments removed, with their first line's number.</summary>
    private static IEnumerable<(int Number, string Line)> LogicalLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var current = new StringBuilder();
        var start = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (current.Length == 0)
            {
                start = i + 1;
            }
            if (line.EndsWith('\\'))
            {
                current.Append(line.AsSpan(0, line.Length - 1)).Append(' ');
                continue;
            }
            current.Append(line);
            var joined = Comment().Replace(current.ToString(), "").Trim();
            current.Clear();
            if (joined.Length > 0)
            {
                yield return (start, joined);
            }
        }
    }

    /// <summary>pip's comment rule: '#' at the start of a line or after whitespace.</summary>
    [GeneratedRegex(@"(^|\s+)#.*$")]
    private static partial Regex Comment();

    [GeneratedRegex(@"^\s*[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[^,*<>!~=\s]+\s*$")]
    private static partial Regex ExactPin();

    [GeneratedRegex(@"--hash[= ]sha256:([0-9A-Fa-f]{64})\b")]
    private static partial Regex Sha256Hash();
}

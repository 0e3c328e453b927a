using System.Globalization;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// Which release file a tox result belongs to. devpi names a tox result after the file it was run against
/// (<c>{file}.toxresult-{timestamp}-{n}</c>) and keeps it in the same release, so the name is the reference: the
/// release file whose name, followed by <c>.toxresult</c>, starts the result's name.
/// </summary>
public static class ToxResults
{
    private const string Infix = ".toxresult";

    /// <summary>True when <paramref name="toxResultName"/> is named as a result for <paramref name="releaseFileName"/>.</summary>
    public static bool BelongsTo(string toxResultName, string releaseFileName) =>
        toxResultName.Length > releaseFileName.Length + Infix.Length
        && toxResultName.StartsWith(releaseFileName + Infix, StringComparison.Ordinal);

    /// <summary>The name of a result for <paramref name="releaseFileName"/> stored at <paramref name="when"/> after <paramref name="earlier"/> others, as devpi names it.</summary>
    public static string NameFor(string releaseFileName, DateTimeOffset when, int earlier) =>
        string.Create(CultureInfo.InvariantCulture, $"{releaseFileName}{Infix}-{when.UtcDateTime:yyyyMMddHHmmss}-{earlier}");

    /// <summary>The test results (of <paramref name="files"/>, the release's) stored for <paramref name="tested"/>.</summary>
    public static IEnumerable<FileRecord> For(FileRecord tested, IEnumerable<FileRecord> files) =>
        files.Where(f => f.Kind == FileKind.ToxResult && f.Version == tested.Version && BelongsTo(f.FileName, tested.FileName));

    /// <summary>The release file (of <paramref name="files"/>, the release's) a tox result belongs to, or null.</summary>
    public static FileRecord? ReleaseFileOf(FileRecord toxResult, IEnumerable<FileRecord> files) =>
        files.Where(f => f.Kind == FileKind.ReleaseFile && f.Version == toxResult.Version && BelongsTo(toxResult.FileName, f.FileName))
            .MaxBy(f => f.FileName.Length);
}

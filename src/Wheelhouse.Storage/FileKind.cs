namespace Wheelhouse.Storage;

/// <summary>What a stored file is; devpi names it in <c>+links</c> as <c>rel</c> (<see cref="FileKinds.DevpiName"/>).</summary>
public enum FileKind
{
    ReleaseFile,
    DocZip,

    /// <summary>A tox run's JSON result attached to a release file of the same release (devpi's <c>toxresult</c> link).</summary>
    ToxResult,
}

/// <summary>devpi's spelling of a <see cref="FileKind"/>, which is also the stored form.</summary>
public static class FileKinds
{
    public static string DevpiName(this FileKind kind) => kind switch
    {
        FileKind.ReleaseFile => "releasefile",
        FileKind.DocZip => "doczip",
        FileKind.ToxResult => "toxresult",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown file kind"),
    };

    public static FileKind Parse(string stored) => stored switch
    {
        "releasefile" => FileKind.ReleaseFile,
        "doczip" => FileKind.DocZip,
        "toxresult" => FileKind.ToxResult,
        _ => throw new InvalidOperationException($"unknown stored file kind '{stored}'"),
    };
}

namespace Wheelhouse.Storage;

/// <summary>A release file or doc zip in one index; the bytes live in the blob store under <see cref="Sha256"/>.</summary>
/// <param name="LogJson">devpi's file log (a JSON list of upload, push and mirror entries), shown in <c>+links</c>.</param>
public sealed record FileRecord(
    string User, string Index, string FileName, string Project, string Version, FileKind Kind, string Sha256, long Size,
    DateTimeOffset Uploaded, string RequiresPython, string? MetadataSha256, string LogJson);

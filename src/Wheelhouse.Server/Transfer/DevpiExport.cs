using System.Text.Json.Nodes;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Server.Transfer;

/// <summary>
/// What <c>devpi-export</c> writes (dump version 2), read and checked by <see cref="DevpiExportReader"/>: a directory
/// with <c>dataindex.json</c> (users, indexes with their config, release metadata and file list) and the files at
/// the <c>relpath</c> each file entry names.
/// </summary>
public sealed record DevpiExport(string Directory, IReadOnlyList<ExportedUser> Users, IReadOnlyList<ExportedIndex> Indexes)
{
    public const string DataIndexFileName = "dataindex.json";
    public const string DumpVersion = "2";

    public int FileCount => Indexes.Sum(i => i.Files.Count);

    public long TotalBytes => Indexes.Sum(i => i.Files.Sum(f => f.Size));
}

/// <param name="PasswordHash">As this server stores it (<see cref="Auth.DevpiPasswordHashes"/>); null when the user had none (cannot log in).</param>
public sealed record ExportedUser(string Name, string? PasswordHash, string Email, string Title, string Description, DateTimeOffset Created);

/// <param name="Config">devpi's <c>indexconfig</c>, checked, plugins' keys kept.</param>
public sealed record ExportedIndex(IndexPath Path, IndexConfig Config, IReadOnlyList<ExportedRelease> Releases, IReadOnlyList<ExportedFile> Files);

/// <param name="Project">Normalized name.</param>
/// <param name="Version">PEP 440 normalized, as this server keys releases.</param>
/// <param name="Verdata">The metadata devpi recorded, as it recorded it.</param>
public sealed record ExportedRelease(string Project, string DisplayName, string Version, JsonObject Verdata);

/// <param name="Path">Full path of the file in the export.</param>
/// <param name="Sha256">From the entry's <c>hashes</c>/<c>hash_spec</c>; null when the export recorded none (old devpi docs).</param>
/// <param name="LogJson">devpi's upload and push history of the file, as a JSON list.</param>
public sealed record ExportedFile(
    string RelPath, string Path, Storage.FileKind Kind, string Project, string Version, string FileName, string? Sha256, long Size,
    DateTimeOffset LastModified, string LogJson)
{
    /// <summary>A tox result's release file (the last segment of devpi's <c>for_entrypath</c>); null for other kinds.</summary>
    public string? ForFileName { get; init; }
}

using System.Text.Json;
using Wheelhouse.Core.Security;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// A test result attached to a release file (<c>devpi test</c> posts tox's JSON report to the file's URL once the tests
/// ran). Kept as devpi keeps it: a file of the same release named <c>{file}.toxresult-{UTC time}-{n}</c>, with an upload
/// entry in its log, listed in the version's <c>+links</c> with <c>rel: toxresult</c> and <c>for_href</c>, copied by a
/// push, exported and imported. Allowed to the index's <c>acl_toxresult_upload</c> (default: anyone), on stage indexes,
/// volatile or not: a result adds to a release and changes none of its files.
/// </summary>
public sealed class ToxResultUpload(PackageStore store, UsersAndIndexes known, TimeProvider time, ILogger<ToxResultUpload> logger)
{
    /// <summary>The largest result taken: tox's reports are kilobytes, a few hundred with long test output.</summary>
    public const int MaxBytes = 4 << 20;

    private const string Expected = "a test result is tox's JSON report (tox --result-json), as devpi test posts it";

    /// <summary>Stores <paramref name="body"/> (tox's JSON report) as a result for the release file at the URL.</summary>
    /// <returns>The stored result.</returns>
    public async Task<Outcome<FileRecord>> StoreAsync(Principal who, string user, string index, string shaPrefix, string fileName, ReadOnlyMemory<byte> body,
        CancellationToken ct)
    {
        if (known.FindIndex(user, index) is not { } entry)
        {
            return IndexService.Missing(user, index);
        }
        if (entry.IsMirror)
        {
            return new Refusal.Conflict($"{entry.IndexPath} is a mirror: test results are kept with the release files of stage indexes");
        }
        if (Authorization.Check(who, new Permission.UploadToxResult(entry.IndexPath, entry.Config)) is { Allowed: false } denied)
        {
            return Refusal.Forbidden.From(denied);
        }
        if (BodyProblem(body) is { } problem)
        {
            return new Refusal.Invalid(problem);
        }
        await using var content = store.CreateBlob();
        await content.WriteAsync(body, ct);
        await content.FinishAsync();
        using var work = await store.BeginAsync(ct);
        var tested = work.Rows.File(user, index, fileName);
        if (tested is not { Kind: FileKind.ReleaseFile } || shaPrefix.Length != 16 || !tested.Sha256.StartsWith(shaPrefix, StringComparison.Ordinal))
        {
            return new Refusal.NotFound($"no release file {fileName} at this URL in {entry.IndexPath}: post the result to the URL of the file that was tested");
        }
        var now = time.GetUtcNow();
        var earlier = ToxResults.For(tested, work.Rows.Files(user, index, tested.Project)).Count();
        var name = ToxResults.NameFor(tested.FileName, now, earlier);
        var result = new FileRecord(user, index, name, tested.Project, tested.Version, FileKind.ToxResult, content.Sha256, content.Length, now, "", null,
            FileLog.Upload(who.User?.Value, now, entry.IndexPath.ToString()));
        work.AddFile(result, content, null);
        var serial = work.Commit();
        logger.LogInformation("{User} stored test result {Name} ({Size} bytes) for {File} in {Index}", who, name, content.Length, tested.FileName, entry.IndexPath);
        return new Outcome<FileRecord>.Changed(result, serial);
    }

    private static string? BodyProblem(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : $"the body is JSON but not an object; {Expected}";
        }
        catch (JsonException e)
        {
            return $"the body is not valid JSON ({e.Message}); {Expected}";
        }
    }
}

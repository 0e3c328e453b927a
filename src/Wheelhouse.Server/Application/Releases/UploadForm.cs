namespace Wheelhouse.Server.Application.Releases;

/// <summary>The fields of a legacy-API upload form (repeated fields are lists) and the streamed file, if any.</summary>
public sealed class UploadForm : IAsyncDisposable
{
    public Dictionary<string, List<string>> Fields { get; } = new(StringComparer.Ordinal);

    /// <summary>The <c>content</c> part, already on disk in the blob store's temp area with its digests.</summary>
    public Storage.PendingBlob? Content { get; set; }

    public string? ContentFileName { get; set; }

    public string? Single(string name) => Fields.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    /// <summary>A field value as it may be quoted in an error: bounded, control characters replaced.</summary>
    public static string Printable(string s) => new(s.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    public async ValueTask DisposeAsync()
    {
        if (Content is not null)
        {
            await Content.DisposeAsync();
        }
    }
}

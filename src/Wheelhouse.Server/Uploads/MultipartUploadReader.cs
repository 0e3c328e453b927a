using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Uploads;

/// <summary>
/// Streams a <c>multipart/form-data</c> upload: small fields are read (bounded, strict UTF-8) and the file part goes
/// straight to a temp blob while it is hashed, so a 100 MB upload never sits in memory.
/// </summary>
public static class MultipartUploadReader
{
    public const int MaxFieldBytes = 1 << 20;
    public const int MaxTotalFieldBytes = 8 << 20;
    public const int MaxFields = 1000;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Reads the form, or answers why it was refused (malformed, over a limit); the temp file is then already gone.</summary>
    public static async Task<(UploadForm? Form, UploadRejection? Rejection)> ReadAsync(HttpRequest request, Func<PendingBlob> newContent, long maxFileBytes, CancellationToken ct)
    {
        try
        {
            return (await ReadOrThrowAsync(request, newContent, maxFileBytes, ct), null);
        }
        catch (Rejected e)
        {
            return (null, new UploadRejection(e.Status, e.Message));
        }
    }

    // Rejections deep inside the streaming loop unwind by exception; they never leave this class.
    private sealed class Rejected(int status, string message) : Exception(message)
    {
        public int Status { get; } = status;
    }

    private static async Task<UploadForm> ReadOrThrowAsync(HttpRequest request, Func<PendingBlob> newContent, long maxFileBytes, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new Rejected(400, $"expected a multipart/form-data upload, got '{request.ContentType}'");
        }
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
        {
            throw new Rejected(400, "malformed multipart body: missing or over-long boundary");
        }
        var form = new UploadForm();
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, BodyLengthLimit = null };
            long fieldBytes = 0;
            var count = 0;
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (++count > MaxFields)
                {
                    throw new Rejected(400, $"too many form fields (more than {MaxFields})");
                }
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw new Rejected(400, "malformed multipart body: a part has no form-data Content-Disposition");
                }
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (name != "content")
                    {
                        // gpg_signature and the like: read and drop, bounded like a field.
                        await ReadBoundedAsync(section.Body, MaxFieldBytes, name, ct);
                        continue;
                    }
                    if (form.Content is not null)
                    {
                        throw new Rejected(400, "more than one 'content' file in the upload");
                    }
                    form.ContentFileName = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                    form.Content = newContent();
                    await CopyToBlobAsync(section.Body, form.Content, maxFileBytes, ct);
                    await form.Content.FinishAsync();
                    continue;
                }
                var bytes = await ReadBoundedAsync(section.Body, MaxFieldBytes, name, ct);
                fieldBytes += bytes.Length;
                if (fieldBytes > MaxTotalFieldBytes)
                {
                    throw new Rejected(400, $"form fields exceed {MaxTotalFieldBytes} bytes in total");
                }
                string value;
                try
                {
                    value = StrictUtf8.GetString(bytes);
                }
                catch (DecoderFallbackException)
                {
                    throw new Rejected(400, $"form field '{UploadForm.Printable(name)}' is not valid UTF-8");
                }
                if (!form.Fields.TryGetValue(name, out var list))
                {
                    form.Fields[name] = list = [];
                }
                list.Add(value);
            }
            return form;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            await form.DisposeAsync();
            throw new Rejected(400, $"malformed multipart body: {e.Message}");
        }
        catch
        {
            await form.DisposeAsync();
            throw;
        }
    }

    private static async Task CopyToBlobAsync(Stream body, PendingBlob blob, long maxBytes, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, ct)) > 0)
            {
                if (blob.Length + read > maxBytes)
                {
                    throw new Rejected(413, $"file is larger than the configured upload limit of {maxBytes} bytes (maxUploadSize)");
                }
                await blob.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, int max, string name, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + read > max)
            {
                throw new Rejected(400, $"form field '{UploadForm.Printable(name)}' is longer than {max} bytes");
            }
            ms.Write(buffer, 0, read);
        }
        return ms.ToArray();
    }

}

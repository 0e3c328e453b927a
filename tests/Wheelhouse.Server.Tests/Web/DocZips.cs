using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wheelhouse.Server.Tests.Support;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>Documentation zips for tests, and their upload as <c>devpi upload --with-docs</c> sends them (<c>doc_upload</c>).</summary>
public static class DocZips
{
    public static byte[] Zip(params (string Path, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in entries)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Fastest);
                entry.LastWriteTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return buffer.ToArray();
    }

    public static async Task UploadAsync(TestServer server, string index, string user, string name, string version, byte[] zip)
    {
        var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{index}/")
        {
            Content = new MultipartFormDataContent
            {
                { new StringContent("doc_upload"), ":action" },
                { new StringContent(name), "name" },
                { new StringContent(version), "version" },
                { content, "content", $"{name}-{version}.doc.zip" },
            },
        };
        request.Headers.Authorization = TestServer.Basic(user, user + "-pw");
        using var response = await server.Client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

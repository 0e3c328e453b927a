using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>Builds small but real wheels and upload forms the way twine sends them.</summary>
public static class Distributions
{
    public static byte[] Wheel(string name, string version, string? metadataName = null, string? metadataVersion = null, string requiresPython = ">=3.8")
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var stem = $"{name.Replace('-', '_')}-{version}";
            Add(zip, $"{name.Replace('-', '_')}/__init__.py", "VALUE = 1\n");
            Add(zip, $"{stem}.dist-info/METADATA",
                $"Metadata-Version: 2.1\nName: {metadataName ?? name}\nVersion: {metadataVersion ?? version}\nSummary: test package\nRequires-Python: {requiresPython}\n\nbody\n");
            Add(zip, $"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            Add(zip, $"{stem}.dist-info/RECORD", "");
        }
        return ms.ToArray();
    }

    /// <summary>A wheel with a stored (uncompressed) random member, so its size is what the test asks for.</summary>
    public static byte[] WheelWithPadding(string name, string version, int paddingBytes)
    {
        using var ms = new MemoryStream();
        ms.Write(Wheel(name, version));
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry($"{name.Replace('-', '_')}/padding.bin", CompressionLevel.NoCompression);
            using var stream = entry.Open();
            var padding = new byte[paddingBytes];
            Random.Shared.NextBytes(padding);
            stream.Write(padding);
        }
        return ms.ToArray();
    }

    public static string WheelName(string name, string version) => $"{name.Replace('-', '_')}-{version}-py3-none-any.whl";

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A legacy-API <c>:action=submit</c> form (metadata only, no file), as <c>devpi upload</c> and old twine send.</summary>
    public static MultipartFormDataContent Submit(string name, string version, params (string Key, string Value)[] extra)
    {
        var form = new MultipartFormDataContent { { new StringContent("submit"), ":action" }, { new StringContent(name), "name" }, { new StringContent(version), "version" } };
        foreach (var (key, value) in extra)
        {
            form.Add(new StringContent(value), key);
        }
        return form;
    }

    /// <summary>A legacy-API upload form: <c>:action</c>, name, version, extra fields and the file in <c>content</c>.</summary>
    public static MultipartFormDataContent Form(string name, string version, byte[]? file, string? fileName, params (string Key, string Value)[] extra)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("file_upload"), ":action" },
            { new StringContent(name), "name" },
            { new StringContent(version), "version" },
            { new StringContent("1"), "protocol_version" }
        };
        foreach (var (key, value) in extra)
        {
            form.Add(new StringContent(value), key);
        }
        if (file is not null)
        {
            var content = new ByteArrayContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(content, "content", fileName!);
        }
        return form;
    }

    private static void Add(ZipArchive zip, string path, string text)
    {
        var entry = zip.CreateEntry(path);
        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}

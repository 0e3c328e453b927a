using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;

namespace ServerBench;

/// <summary>Small valid wheels and the legacy upload form twine would send for them.</summary>
internal static class Wheels
{
    public static (string FileName, byte[] Content) Build(string name, string version, int paddingBytes = 0)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            var module = name.Replace('-', '_');
            var stem = $"{module}-{version}";
            Add(zip, $"{module}/__init__.py", "VALUE = 1\n");
            Add(zip, $"{stem}.dist-info/METADATA", $"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nSummary: bench\nRequires-Python: >=3.8\n\n");
            Add(zip, $"{stem}.dist-info/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
            Add(zip, $"{stem}.dist-info/RECORD", "");
            if (paddingBytes > 0)
            {
                var entry = zip.CreateEntry($"{module}/padding.bin", CompressionLevel.NoCompression);
                using var s = entry.Open();
                var chunk = new byte[1 << 20];
                for (var left = paddingBytes; left > 0; left -= chunk.Length)
                {
                    Random.Shared.NextBytes(chunk);
                    s.Write(chunk, 0, Math.Min(left, chunk.Length));
                }
            }
        }
        return ($"{name.Replace('-', '_')}-{version}-py3-none-any.whl", ms.ToArray());
    }

    public static MultipartFormDataContent Form(string action, string name, string version, string? fileName, HttpContent? file)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(action), ":action" },
            { new StringContent(name), "name" },
            { new StringContent(version), "version" },
        };
        if (file is not null)
        {
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "content", fileName!);
        }
        return form;
    }

    private static void Add(ZipArchive zip, string path, string text)
    {
        using var s = zip.CreateEntry(path).Open();
        s.Write(Encoding.UTF8.GetBytes(text));
    }
}

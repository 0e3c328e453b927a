using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// A minimal, valid pure-Python wheel (PEP 427): one module, METADATA, WHEEL and a RECORD with every file's hash.
/// Made here because the container has no network to fetch a build backend; the name is one Debian and PyPI lack.
/// </summary>
public sealed record TestWheel(string Project, string Version, string Module, string Message)
{
    public static readonly TestWheel Default = new("wheelhouse-install-proof", "1.0", "wheelhouse_install_proof", "installed through nginx");

    private string DistInfo => $"{Module}-{Version}.dist-info";

    public string FileName => $"{Module}-{Version}-py3-none-any.whl";

    public byte[] Build()
    {
        var files = new List<(string Path, byte[] Content)>
        {
            ($"{Module}/__init__.py", Utf8($"MESSAGE = \"{Message}\"\n")),
            ($"{DistInfo}/METADATA", Utf8($"Metadata-Version: 2.1\nName: {Project}\nVersion: {Version}\nSummary: Proves that an upload reaches Wheelhouse and installs back.\n")),
            ($"{DistInfo}/WHEEL", Utf8("Wheel-Version: 1.0\nGenerator: wheelhouse-install-proof\nRoot-Is-Purelib: true\nTag: py3-none-any\n")),
        };
        var record = new StringBuilder();
        foreach (var (path, content) in files)
        {
            record.Append($"{path},sha256={Base64Url(SHA256.HashData(content))},{content.Length}\n");
        }

        record.Append($"{DistInfo}/RECORD,,\n");
        files.Add(($"{DistInfo}/RECORD", Utf8(record.ToString())));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Base64Url(byte[] hash) => Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

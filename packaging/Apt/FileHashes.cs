using System.Security.Cryptography;

namespace Wheelhouse.Packaging.Apt;

/// <summary>The digests apt indexes carry, computed in one pass over a file.</summary>
public sealed record FileHashes(long Size, string Md5, string Sha1, string Sha256, string Sha512)
{
    public static FileHashes Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Of(stream);
    }

    public static FileHashes Of(byte[] bytes) => Of(new MemoryStream(bytes, writable: false));

    private static FileHashes Of(Stream stream)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        var buffer = new byte[1 << 20];
        long size = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            var chunk = buffer.AsSpan(0, read);
            md5.AppendData(chunk);
            sha1.AppendData(chunk);
            sha256.AppendData(chunk);
            sha512.AppendData(chunk);
            size += read;
        }
        return new FileHashes(size, Hex(md5), Hex(sha1), Hex(sha256), Hex(sha512));
    }

    private static string Hex(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());
}

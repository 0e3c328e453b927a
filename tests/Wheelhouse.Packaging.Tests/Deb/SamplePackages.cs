using System.Text;
using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Deb;

/// <summary>Small packages that exercise every entry kind.</summary>
internal static class SamplePackages
{
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static string UniqueName() => $"wh-testpkg-{Guid.NewGuid().ToString("N")[..10]}";

    public static ControlFile Control(string package) => ControlFile.Parse(
        $"""
        Package: {package}
        Version: 1.2.3-1
        Architecture: all
        Maintainer: Wheelhouse Tests <tests@example.org>
        Section: misc
        Priority: optional
        Description: test package for the wheelhouse deb writer
         Built by Wheelhouse.Packaging.Tests; safe to remove.
        """);

    public static string LongName { get; } = "usr/share/" + string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 5)) + "/file.txt";

    public static DebPackage Create(string package, IReadOnlyDictionary<string, byte[]>? scripts = null) => new(
        Control(package),
        [
            new DebFile($"usr/lib/{package}/tool", DebFileSource.FromText("#!/bin/sh\necho hi\n"), DebModes.Executable),
            new DebFile($"usr/lib/{package}/data.bin", DebFileSource.FromBytes(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray())),
            new DebFile($"usr/lib/{package}/empty", DebFileSource.FromBytes([])),
            new DebFile($"etc/{package}/{package}.conf", DebFileSource.FromText("setting = 1\n"), DebModes.Regular, IsConffile: true),
            new DebSymlink($"usr/bin/{package}", $"../lib/{package}/tool"),
            new DebDirectory($"var/lib/{package}"),
            new DebFile(LongName.Replace("file.txt", package + ".txt", StringComparison.Ordinal), DebFileSource.FromText("long\n")),
            new DebFile($"usr/share/doc/{package}/copyright", DebFileSource.FromText("Copyright: none\n")),
        ],
        scripts ?? new Dictionary<string, byte[]> { ["postinst"] = Encoding.UTF8.GetBytes("#!/bin/sh\nset -e\nexit 0\n") },
        Timestamp);

    public static byte[] Write(DebPackage package, DebCompression compression, int threads = 2)
    {
        using var output = new MemoryStream();
        DebWriter.Write(package, compression, output, threads, Path.GetTempPath());
        return output.ToArray();
    }
}

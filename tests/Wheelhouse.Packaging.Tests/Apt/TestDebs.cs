using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Tests.Apt;

/// <summary>Small real .deb files written with our writer, for repository tests.</summary>
internal static class TestDebs
{
    public static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_767_323_045);

    public static string Write(string directory, string package, string version, string architecture)
    {
        var control = ControlFile.Parse($"""
            Package: {package}
            Version: {version}
            Architecture: {architecture}
            Maintainer: Test <test@example.org>
            Section: misc
            Priority: optional
            Description: test package {package}
             Used by the apt repository tests.
            """);
        var data = new DebEntry[] { new DebFile($"usr/share/doc/{package}/README", DebFileSource.FromText($"{package} {version}\n")) };
        var deb = new DebPackage(control, data, new Dictionary<string, byte[]>(), Timestamp);
        var path = Path.Combine(directory, deb.FileName);
        DebWriter.WriteToFile(deb, DebCompression.Gzip, path);
        return path;
    }
}

using Cake.Frosting;

namespace Wheelhouse.Build;

/// <summary>Every option the build accepts, with its help line; anything else on the command line is an error.</summary>
public static class BuildOptions
{
    public static readonly IReadOnlyList<HostOption> All =
    [
        new("arch", "amd64, arm64 or both, comma-separated (default: amd64,arm64)"),
        new("version", "package version to stamp (default: from git describe, e.g. 1.2.3-1 or 1.2.4~dev5+gabc1234-1)"),
        new("compression", "xz (default), zstd, gzip or none for data.tar and control.tar"),
        new("configuration", "Release (default) or Debug"),
        new("signing-key", $"key that signs the apt repository: a key file, or a fingerprint in GNUPGHOME (default: ${Wheelhouse.Packaging.Apt.SigningKey.EnvironmentVariable}; none: a throwaway TESTING key)"),
        new("suite", "apt suite (and codename) to publish into (default: stable)"),
        new("client-index-url", "wheelhouse-client-config's default index URL (its debconf default), e.g. https://pypi.example.com/root/pypi/+simple/"),
        new("client-ca", "a PEM file with the company CA that wheelhouse-client-config offers to trust (\"built-in\" in its debconf question)"),
        new("source-date-epoch", "the one timestamp of every file, in seconds since 1970 (default: $SOURCE_DATE_EPOCH, else the commit time of HEAD)"),
    ];
}

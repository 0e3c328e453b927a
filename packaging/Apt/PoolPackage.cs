using Wheelhouse.Packaging.Deb;

namespace Wheelhouse.Packaging.Apt;

/// <summary>A .deb in the pool with what a Packages stanza needs besides its control fields.</summary>
/// <param name="Filename">Path relative to the repository root, e.g. pool/main/w/wheelhouse-server/wheelhouse-server_1.0.0-1_amd64.deb.</param>
public sealed record PoolPackage(ControlFile Control, string Filename, long Size, string Md5, string Sha1, string Sha256);

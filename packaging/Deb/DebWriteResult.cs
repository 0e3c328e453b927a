namespace Wheelhouse.Packaging.Deb;

/// <summary>What was written: the final control file (with Installed-Size) for apt indexes, and the size in KiB.</summary>
public sealed record DebWriteResult(ControlFile Control, long InstalledSizeKiB);

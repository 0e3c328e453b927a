namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// Installed-Size in KiB as dpkg-gencontrol computes it (scripts/dpkg-gencontrol.pl, dpkg 1.21): every regular file
/// and symlink adds ceil(size / 1024) where a symlink's size is the length of its target; every other object,
/// directories including the root, adds 1. dpkg-gencontrol walks the whole build directory, so the DEBIAN/ files
/// present at that moment also count; we count only what is installed, the data.tar tree. Hard links are not in our
/// content model, so nothing is deduplicated.
/// </summary>
public static class InstalledSize
{
    public static long Compute(DebDataTree tree) => tree.Entries.Sum(entry => entry switch
    {
        DebFile file => KiB(file.Source.Length),
        DebSymlink link => KiB(System.Text.Encoding.UTF8.GetByteCount(link.Target)),
        _ => 1L,
    });

    private static long KiB(long bytes) => (bytes + 1023) / 1024;
}

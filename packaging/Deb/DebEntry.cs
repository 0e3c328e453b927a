namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// One item of a package's data.tar: the single content model for directories, files, config files and symlinks
/// (house rule 8). <see cref="Path"/> is relative to the install root, without a leading "./" or "/", using '/'
/// separators, e.g. "usr/lib/wheelhouse-server/wheelhouse-server".
/// </summary>
public abstract record DebEntry(string Path);

/// <summary>A directory. Parents that are not listed are synthesised with mode 0755.</summary>
public sealed record DebDirectory(string Path, int Mode = DebModes.Directory) : DebEntry(Path);

/// <summary>
/// A regular file. <paramref name="Mode"/> is written as given; use <see cref="DebModes.Executable"/> (0755) for
/// programs and <see cref="DebModes.Regular"/> (0644) for the rest. A conffile is listed in control.tar's conffiles
/// (as "/" + Path) and, like dh_md5sums does, left out of md5sums.
/// </summary>
public sealed record DebFile(string Path, DebFileSource Source, int Mode = DebModes.Regular, bool IsConffile = false)
    : DebEntry(Path);

/// <summary>A symbolic link; <paramref name="Target"/> is stored verbatim (prefer relative targets, as Debian policy asks).</summary>
public sealed record DebSymlink(string Path, string Target) : DebEntry(Path);

/// <summary>The normalised permission bits a .deb uses.</summary>
public static class DebModes
{
    public const int Directory = 0b111_101_101;   // 0755
    public const int Executable = 0b111_101_101;  // 0755
    public const int Regular = 0b110_100_100;     // 0644
    public const int Symlink = 0b111_111_111;     // 0777, what tar records for links
}

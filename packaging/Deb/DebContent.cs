namespace Wheelhouse.Packaging.Deb;

/// <summary>Turns a directory on disk (e.g. a dotnet publish output) into <see cref="DebEntry"/> values.</summary>
public static class DebContent
{
    /// <summary>
    /// Every directory, file and symlink under <paramref name="sourceDirectory"/>, placed under
    /// <paramref name="targetPath"/> (relative, e.g. "usr/lib/wheelhouse-server"). Modes are normalised: 0755 for
    /// directories and for files with any execute bit, 0644 for the rest; owners and times on disk are ignored.
    /// </summary>
    public static IReadOnlyList<DebEntry> FromDirectory(string sourceDirectory, string targetPath)
    {
        var root = new DirectoryInfo(sourceDirectory);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"package source directory {root.FullName} does not exist");
        }

        var target = targetPath.Trim('/');
        var entries = new List<DebEntry> { new DebDirectory(target) };
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var info in root.EnumerateFileSystemInfos("*", options))
        {
            var relative = Path.GetRelativePath(root.FullName, info.FullName).Replace(Path.DirectorySeparatorChar, '/');
            var path = target.Length == 0 ? relative : $"{target}/{relative}";
            if (info.LinkTarget is { } linkTarget)
            {
                entries.Add(new DebSymlink(path, linkTarget));
            }
            else if (info is DirectoryInfo)
            {
                entries.Add(new DebDirectory(path));
            }
            else if (info is FileInfo file)
            {
                var executable = (file.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
                entries.Add(new DebFile(path, DebFileSource.FromDisk(file.FullName), executable ? DebModes.Executable : DebModes.Regular));
            }
        }

        return entries;
    }
}

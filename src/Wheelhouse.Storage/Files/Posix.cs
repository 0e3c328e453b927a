using System.Runtime.InteropServices;

namespace Wheelhouse.Storage.Files;

/// <summary>The few POSIX calls .NET has no API for: hard links and directory fsync (so a rename or unlink is durable).</summary>
internal static class Posix
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int EXDEV = 18;

    /// <summary>Makes <paramref name="linkPath"/> a second name of <paramref name="existingPath"/>; 0 or the errno.</summary>
    public static int HardLink(string existingPath, string linkPath) =>
        link(existingPath, linkPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Creates a directory (mode 0755 less the umask); 0 or the errno (EEXIST when it is there); -1 on Windows.</summary>
    public static int MakeDirectory(string path) =>
        OperatingSystem.IsWindows() ? -1 : mkdir(path, 0x1ED /* 0755 */) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>Makes the entries of <paramref name="directory"/> (created, renamed, removed names) durable.</summary>
    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        _ = fsync(fd);
        _ = close(fd);
    }

    /// <summary>Makes everything written to the file system holding <paramref name="path"/> durable (Linux syncfs; sync elsewhere).</summary>
    public static void SyncFileSystem(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var fd = open(path, 0 /* O_RDONLY */);
        if (fd < 0 || !OperatingSystem.IsLinux() || syncfs(fd) != 0)
        {
            sync();
        }
        if (fd >= 0)
        {
            _ = close(fd);
        }
    }

    /// <summary>
    /// Asks the kernel to start writing a file's dirty pages now, without waiting (Linux sync_file_range): a bulk
    /// write's later <see cref="SyncFileSystem"/> then finds most of them on disk already, the disk having worked
    /// while the copy went on. A hint: nothing elsewhere, and no error is an error.
    /// </summary>
    public static void StartWriteback(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = sync_file_range(file, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */);
        }
    }

    /// <summary>Sets a mode regardless of the process umask (the unit runs with UMask=0027); nothing on Windows.</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    public static UnixFileMode? ModeOf(string path) => OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(path);

    [DllImport("libc", SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldpath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newpath);

    [DllImport("libc", SetLastError = true)]
    private static extern int mkdir([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int syncfs(int fd);

    [DllImport("libc")]
    private static extern void sync();

    [DllImport("libc", SetLastError = true)]
    private static extern int sync_file_range(Microsoft.Win32.SafeHandles.SafeFileHandle fd, long offset, long nbytes, uint flags);
}

namespace Wheelhouse.Packaging.Deb;

/// <summary>Where a <see cref="DebFile"/>'s bytes come from. Sources are opened only while writing, one at a time.</summary>
public abstract record DebFileSource
{
    /// <summary>Size in bytes, as it will be written to the archive.</summary>
    public abstract long Length { get; }

    public abstract Stream Open();

    public static DebFileSource FromDisk(string path) => new DiskSource(System.IO.Path.GetFullPath(path));

    public static DebFileSource FromBytes(byte[] bytes) => new BytesSource(bytes);

    public static DebFileSource FromText(string text) => new BytesSource(System.Text.Encoding.UTF8.GetBytes(text));

    private sealed record DiskSource(string FullPath) : DebFileSource
    {
        public override long Length
        {
            get
            {
                var info = new FileInfo(FullPath);
                if (!info.Exists)
                {
                    throw new FileNotFoundException($"package source file is missing: {FullPath}", FullPath);
                }

                return info.Length;
            }
        }

        public override Stream Open() =>
            new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

        public override string ToString() => $"file {FullPath}";
    }

    private sealed record BytesSource(byte[] Bytes) : DebFileSource
    {
        public override long Length => Bytes.Length;

        public override Stream Open() => new MemoryStream(Bytes, writable: false);

        public override string ToString() => $"{Bytes.Length} bytes in memory";
    }
}

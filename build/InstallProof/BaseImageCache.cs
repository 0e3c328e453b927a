namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// Keeps built base images as tarballs (<c>&lt;cache&gt;/&lt;key&gt;.tar</c>) so only the first run on a machine
/// downloads from Debian. A tarball appears under its final name only once mmdebstrap has finished it.
/// </summary>
public sealed class BaseImageCache(string directory, Shell shell)
{
    public const string DefaultDirectory = "/var/cache/wheelhouse-verify";

    public string Directory { get; } = directory;

    public string PathOf(BaseImage image) => System.IO.Path.Combine(Directory, image.CacheKey + ".tar");

    public async Task<string> EnsureAsync(BaseImage image, CancellationToken cancellation = default)
    {
        var tarball = PathOf(image);
        if (File.Exists(tarball))
        {
            shell.Log.WriteLine($"  base image: cached {tarball} ({new FileInfo(tarball).Length / (1 << 20)} MiB)");
            return tarball;
        }
        System.IO.Directory.CreateDirectory(Directory);
        // mmdebstrap picks the output format from the extension, so the temporary name must end in .tar too.
        var partial = System.IO.Path.Combine(Directory, $"{image.CacheKey}.partial-{Environment.ProcessId}.tar");
        shell.Log.WriteLine($"  base image: building {tarball} with mmdebstrap ({image.Packages.Count} packages from {image.Mirror}; about 2 minutes, once per machine)");
        try
        {
            await shell.CheckAsync("cannot build the base image", image.MmdebstrapCommand(partial), cancellation: cancellation);
            File.Move(partial, tarball, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return tarball;
    }
}

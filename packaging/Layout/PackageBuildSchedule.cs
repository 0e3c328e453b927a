namespace Wheelhouse.Packaging.Layout;

/// <summary>
/// How many .deb files to write at once and with how many compressor threads each. Side by side only from 4 cores:
/// on fewer, one package already keeps every core busy (xz and zstd blocks, gzip chunks), so two at once would only
/// double the memory and interleave their progress. The bytes never depend on this.
/// </summary>
public sealed record PackageBuildSchedule(int Concurrent, int ThreadsEach)
{
    public const int MinimumCoresForSideBySide = 4;

    public static PackageBuildSchedule For(int packages, int processors)
    {
        processors = Math.Max(1, processors);
        var concurrent = processors < MinimumCoresForSideBySide ? 1 : Math.Clamp(packages, 1, processors / 2);
        return new PackageBuildSchedule(concurrent, Math.Max(1, processors / concurrent));
    }
}

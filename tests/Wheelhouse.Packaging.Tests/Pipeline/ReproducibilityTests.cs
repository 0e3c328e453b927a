using Wheelhouse.Packaging.Apt;

namespace Wheelhouse.Packaging.Tests.Pipeline;

/// <summary>
/// The same inputs give the same bytes: the publish tree copied with another umask (group and other bits gone)
/// and other mtimes (another clock) is packaged again with SOURCE_DATE_EPOCH held fixed.
/// </summary>
[Integration]
[Collection(PipelineCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReproducibilityTests(PipelineFixture pipeline)
{
    [Fact]
    public async Task Another_umask_and_clock_give_byte_identical_debs_and_packages_files()
    {
        var copy = Path.Combine(pipeline.Root, "publish-umask077");
        CopyWithUmask077AndNewTimes(pipeline.PublishDirectory, copy);

        var again = pipeline.BuildDebs(copy, Path.Combine(pipeline.Root, "deb-again"));

        again.Select(Path.GetFileName).Should().Equal(pipeline.Debs.Select(Path.GetFileName));
        foreach (var (first, second) in pipeline.Debs.Zip(again))
        {
            File.ReadAllBytes(second).Should().Equal(File.ReadAllBytes(first), $"{Path.GetFileName(first)} must not depend on umask or clock");
        }

        var repository = new AptRepository(Path.Combine(pipeline.Root, "apt-again"));
        repository.AddToPool(again, _ => { });
        await repository.PublishAsync(new AptRepositoryOptions("stable", [PipelineFixture.Architecture], PipelineFixture.Timestamp), signer: null);
        var packages = Path.Combine("dists", "stable", "main", "binary-amd64", "Packages");
        File.ReadAllBytes(Path.Combine(repository.Root, packages)).Should().Equal(File.ReadAllBytes(Path.Combine(pipeline.RepositoryDirectory, packages)));
    }

    private static void CopyWithUmask077AndNewTimes(string source, string target)
    {
        var later = DateTime.UtcNow.AddDays(3);
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, destination);
            File.SetUnixFileMode(destination, File.GetUnixFileMode(file) & (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            File.SetLastWriteTimeUtc(destination, later);
        }
        foreach (var directory in Directory.GetDirectories(target, "*", SearchOption.AllDirectories).Prepend(target))
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}

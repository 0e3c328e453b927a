using System.Diagnostics;
using Wheelhouse.Build.InstallProof.Steps;
using Wheelhouse.Packaging.Apt;

namespace Wheelhouse.Build.InstallProof;

/// <summary>What a proof run needs from the build: the packages under test and how to make the newer build.</summary>
/// <param name="FirstDebs">The built .deb files for this machine's architecture (and Architecture: all).</param>
/// <param name="BuildVersion">Builds every package again at a given version into a given folder, returning the .deb files.</param>
/// <param name="Suite">The apt suite the repository publishes (the source line's suite).</param>
/// <param name="DebianSuite">The Debian release the container runs.</param>
public sealed record InstallProofInputs(
    IReadOnlyList<string> FirstDebs,
    Func<string, string, Task<IReadOnlyList<string>>> BuildVersion,
    string Suite,
    string DebianSuite,
    string? SigningKeySpec,
    string ArtifactsDirectory,
    string CacheDirectory,
    bool RunPiuparts,
    string DeployDirectory);

/// <summary>
/// The whole proof: a private signed repository with the build, the cached base image, a booted container in which
/// the steps run in order (install, serve, upload, upgrade, remove, purge), then piuparts. Everything it creates
/// is removed at the end and every process it starts is stopped, whether the proof passed or not.
/// </summary>
public sealed class InstallProofRun(TextWriter log)
{
    /// <summary>Each container step and piuparts counts as one check; a failure before the steps counts as one failed.</summary>
    public ProofTally Tally { get; } = new();

    public async Task RunAsync(InstallProofInputs inputs)
    {
        var total = Stopwatch.StartNew();
        var phases = new List<(string, TimeSpan)>();
        var shell = new Shell(log);
        var work = Directory.CreateTempSubdirectory("wh-verify-").FullName;
        try
        {
            var architecture = ProofVersions.HostArchitecture();
            var controls = inputs.FirstDebs.Select(DebControlReader.Read).ToList();
            var ours = controls.Select(c => c.Package).ToHashSet(StringComparer.Ordinal);
            var firstVersion = controls.Select(c => c.Version).Distinct().Single();
            var upgradeVersion = ProofVersions.UpgradeOf(firstVersion);
            log.WriteLine($"install proof: {string.Join(", ", controls.Select(c => $"{c.Package} {c.Version} {c.Architecture}"))}; upgrade to {upgradeVersion}");

            var watch = Stopwatch.StartNew();
            var upgradeDebs = await inputs.BuildVersion(upgradeVersion, Path.Combine(work, "upgrade"));
            phases.Add(($"build {upgradeVersion}", watch.Elapsed));

            watch.Restart();
            var repository = new ProofRepository(Path.Combine(work, "apt"), inputs.Suite, architecture, inputs.SigningKeySpec, inputs.ArtifactsDirectory, log);
            await repository.PublishAsync(inputs.FirstDebs);
            // piuparts' upgrade test needs a repository whose newest version is the first build.
            var firstOnly = Path.Combine(work, "apt-first");
            await shell.CheckAsync("cannot copy the repository", ["cp", "-a", repository.Root, firstOnly], echo: false);
            phases.Add(("publish into the signed repository", watch.Elapsed));

            watch.Restart();
            var dependencies = controls.SelectMany(c => BaseImage.DependencyIncludes(c["Depends"] ?? "", ours));
            var image = BaseImage.For(inputs.DebianSuite, dependencies);
            var tarball = await new BaseImageCache(inputs.CacheDirectory, shell).EnsureAsync(image);
            phases.Add(("base image", watch.Elapsed));

            var settings = new ProofSettings
            {
                KeyringFile = repository.KeyringFile,
                FirstVersion = firstVersion,
                UpgradeVersion = upgradeVersion,
                Suite = inputs.Suite,
                DeployDirectory = inputs.DeployDirectory,
            };
            watch.Restart();
            await ProveInContainerAsync(shell, tarball, repository, settings, () => repository.PublishAsync(upgradeDebs));
            phases.Add(("container proof", watch.Elapsed));

            if (inputs.RunPiuparts)
            {
                watch.Restart();
                await new PiupartsCheck(shell).RunAsync(tarball, firstOnly, inputs.DebianSuite, settings, upgradeDebs, work);
                Tally.Pass();
                phases.Add(("piuparts", watch.Elapsed));
            }
        }
        catch (Exception e) when (Tally.Failed == 0)
        {
            Tally.Fail($"install proof: {e.Message}");
            throw;
        }
        finally
        {
            await shell.RunAsync(["rm", "-rf", "--one-file-system", work], echo: false);
            log.WriteLine("install proof timings:");
            foreach (var (phase, took) in phases)
            {
                log.WriteLine($"  {phase,-40} {took.TotalSeconds,7:0.0} s");
            }

            log.WriteLine($"  {"total",-40} {total.Elapsed.TotalSeconds,7:0.0} s");
        }
    }

    private async Task ProveInContainerAsync(Shell shell, string tarball, ProofRepository repository, ProofSettings settings, Func<Task> publishUpgrade)
    {
        await using var container = await BootedContainer.BootAsync(tarball, shell);
        await using var server = await RepositoryServer.StartAsync(repository.Root, container.InitPid, log);
        var context = new ProofContext(container, log, settings) { RepositoryUrl = server.Url };
        IProofStep[] steps =
        [
            new ContainerBootsWithSystemd(),
            new SignedRepositoryIsAccepted(),
            new PackagesInstallFromRepository(),
            new NginxServesHttpsWithTheCertificateItIsGiven(),
            new ServiceRunsAsItsOwnSystemUser(),
            new UnitSandboxIsTight(),
            new HealthAnswersDirectlyAndThroughNginx(),
            new TwineUploadsAndPipInstallsThroughNginx(),
            new SimplePagesPassThroughNginx(),
            new NginxServesReleaseFilesFromDisk(),
            new ClientConfigPointsPipUvAndTwineAtTheIndex(),
            new DirectoryUserUploadsWhereItsGroupMay(),
            new ServerMovesToPostgreSqlAndServesThroughNginx(),
            new UpgradeKeepsDataAndEditsAndRestarts(publishUpgrade),
            new RemoveStopsServiceAndKeepsData(),
            new PurgeRemovesConfigDataAndUser(),
            new PuppetModuleDeploysAndConverges(),
            new AnsibleRoleDeploysAndConverges(),
        ];
        var timings = await new ProofRunner(log, Tally).RunAsync(context, steps);
        log.WriteLine("container steps:");
        foreach (var (step, took) in timings)
        {
            log.WriteLine($"  {step,-40} {took.TotalSeconds,7:0.0} s");
        }
    }
}

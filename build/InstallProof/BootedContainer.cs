using System.Diagnostics;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// A throwaway Debian system booted with systemd-nspawn from a fresh copy of the base image. Disposing it halts
/// the container (by the nspawn PID) and deletes the copy, whatever happened before.
/// </summary>
public sealed class BootedContainer : IAsyncDisposable
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);

    private readonly Shell _shell;
    private HostProcess? _nspawn;

    private BootedContainer(Shell shell, string root, string name)
    {
        _shell = shell;
        Root = root;
        Name = name;
    }

    /// <summary>The container's / as seen from the host (to place files before or while it runs).</summary>
    public string Root { get; }
    public string Name { get; }

    /// <summary>The PID, in the host's namespace, of the container's systemd.</summary>
    public int InitPid { get; private set; }

    public static async Task<BootedContainer> BootAsync(string baseTarball, Shell shell, CancellationToken cancellation = default)
    {
        var root = Directory.CreateTempSubdirectory("wh-verify-root-").FullName;
        var container = new BootedContainer(shell, root, ContainerCommand.UniqueMachineName());
        try
        {
            var watch = Stopwatch.StartNew();
            await shell.CheckAsync("cannot unpack the base image", ["tar", "--extract", "--numeric-owner", "--file", baseTarball, "--directory", root], cancellation: cancellation);
            shell.Log.WriteLine($"  container: unpacked {baseTarball} into {root} in {watch.Elapsed.TotalSeconds:0.0} s");
            await container.StartAsync(cancellation);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken cancellation)
    {
        // Commands reach the container through nsenter; an interactive getty on the pipe console is not needed.
        File.Delete(Path.Combine(Root, "etc/systemd/system/getty.target.wants/getty@tty1.service"));
        // mmdebstrap writes no /etc/hosts (Debian's installer does); without it Python cannot resolve "localhost".
        var hosts = Path.Combine(Root, "etc/hosts");
        if (!File.Exists(hosts))
        {
            File.WriteAllText(hosts, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
        }

        var watch = Stopwatch.StartNew();
        _nspawn = HostProcess.Start(ContainerCommand.Boot(Root, Name), _shell.Log, "nspawn");
        InitPid = await WaitForInitAsync(cancellation);
        string state;
        do
        {
            if (_nspawn.HasExited)
            {
                throw new InstallProofException($"systemd-nspawn exited while booting {Name}; see its output above (does this host allow nspawn? it needs root)");
            }

            if (watch.Elapsed > BootTimeout)
            {
                throw new InstallProofException($"the container did not finish booting in {BootTimeout.TotalSeconds:0} s (last state '{await SystemStateAsync()}')");
            }

            await Task.Delay(500, cancellation);
            state = await SystemStateAsync();
        }
        while (state is not ("running" or "degraded"));
        _shell.Log.WriteLine($"  container: {Name} booted in {watch.Elapsed.TotalSeconds:0.0} s (init pid {InitPid}, system {state})");
        if (state == "degraded")
        {
            await ExecAsync(["systemctl", "--failed", "--no-pager"], cancellation: cancellation);
        }
    }

    private async Task<int> WaitForInitAsync(CancellationToken cancellation)
    {
        for (var waited = 0; waited < 300; waited++)
        {
            if (_nspawn!.HasExited)
            {
                throw new InstallProofException("systemd-nspawn exited before the container's init started; see its output above");
            }
            // nspawn's direct child is the container's PID 1 (systemd), visible in the host's /proc.
            if (HostProcess.ChildrenOf(_nspawn.Pid) is [var init])
            {
                return init;
            }

            await Task.Delay(100, cancellation);
        }
        throw new InstallProofException("the container's init did not appear within 30 s");
    }

    private async Task<string> SystemStateAsync() =>
        (await _shell.RunAsync(ContainerCommand.Exec(InitPid, ["systemctl", "is-system-running"]), echo: false)).StandardOutput.Trim();

    /// <summary>Runs a command inside the container (echoed and streamed), returning its result whatever the exit code.</summary>
    public async Task<ShellResult> ExecAsync(IReadOnlyList<string> command, bool echo = true, CancellationToken cancellation = default)
    {
        if (echo)
        {
            _shell.Log.WriteLine($"    # {ShellResult.Describe(command)}");
        }

        var result = await _shell.RunAsync(ContainerCommand.Exec(InitPid, command), echo: echo, quiet: true, cancellation: cancellation);
        return result with { Command = command };
    }

    /// <summary>Runs a shell script inside the container.</summary>
    public Task<ShellResult> ShAsync(string script, bool echo = true) => ExecAsync(["sh", "-ec", script], echo);

    /// <summary>Writes a file into the container's tree from the host.</summary>
    public void WriteFile(string absolutePath, byte[] content)
    {
        var path = HostPathOf(absolutePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    public string HostPathOf(string absolutePath)
    {
        if (!absolutePath.StartsWith('/') || absolutePath.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{absolutePath}' must be absolute without '..'", nameof(absolutePath));
        }

        return Path.Combine(Root, absolutePath.TrimStart('/'));
    }

    public async ValueTask DisposeAsync()
    {
        if (_nspawn is not null)
        {
            await _nspawn.DisposeAsync();
            _nspawn = null;
        }
        // The container's mounts lived in its own namespace and went with it; what is left is plain files.
        if (Directory.Exists(Root))
        {
            await _shell.RunAsync(["rm", "-rf", "--one-file-system", Root], echo: false);
            _shell.Log.WriteLine($"  container: removed {Root}");
        }
    }
}

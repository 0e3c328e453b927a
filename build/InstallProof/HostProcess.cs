using System.Diagnostics;
using System.Globalization;

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// A long-running host process the proof starts (the container, the repository server) and stops by its PID:
/// SIGTERM first, SIGKILL if it has not exited in time. Output goes to the log, line by line.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TextWriter _log;
    private readonly string _label;

    private HostProcess(Process process, TextWriter log, string label)
    {
        _process = process;
        _log = log;
        _label = label;
    }

    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Lines the process printed so far, for callers that wait for a banner.</summary>
    public event Action<string>? Line;

    public static HostProcess Start(IReadOnlyList<string> command, TextWriter log, string label)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        log.WriteLine($"    $ {ShellResult.Describe(command)} &");
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InstallProofException($"cannot start {command[0]}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InstallProofException($"cannot start `{command[0]}` ({ex.Message}); is it installed? See ./build.sh prerequisites", ex);
        }
        var host = new HostProcess(process, log, label);
        process.OutputDataReceived += (_, e) => host.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => host.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return host;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.WriteLine($"    [{_label}] {line}");
        Line?.Invoke(line);
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        _log.WriteLine($"    stopping {_label} (pid {Pid})");
        // .NET can only SIGKILL another process; kill(1) sends the SIGTERM that lets nspawn halt its container cleanly.
        using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            if (term is not null)
            {
                await term.WaitForExitAsync();
            }
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _log.WriteLine($"    {_label} (pid {Pid}) ignored SIGTERM for {grace.TotalSeconds:0} s; killing it");
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
    }

    /// <summary>The PIDs whose parent is <paramref name="parentPid"/>, read from /proc (field 4 of /proc/PID/stat).</summary>
    public static IReadOnlyList<int> ChildrenOf(int parentPid)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // exited while we looked
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            if (ParentPidFromStat(stat) == parentPid)
            {
                children.Add(pid);
            }
        }
        return children;
    }

    /// <summary>The PPID in a /proc/PID/stat line; the command name (field 2) may hold spaces and parentheses, so parse after the last ')'.</summary>
    public static int? ParentPidFromStat(string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return null;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid) ? ppid : null;
    }
}

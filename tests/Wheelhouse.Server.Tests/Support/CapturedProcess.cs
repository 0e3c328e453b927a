using System.Diagnostics;
using System.Text;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>A tool the tests start in the background (a server node, Prometheus, nginx), with what it writes kept for messages.</summary>
public sealed class CapturedProcess
{
    private readonly StringBuilder _output = new();

    private CapturedProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>What it wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="info"/> with both streams redirected and read as they come, so the tool never blocks on a full pipe.</summary>
    public static CapturedProcess Start(ProcessStartInfo info)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var captured = new CapturedProcess(Process.Start(info)!);
        captured.Process.OutputDataReceived += (_, e) => captured.Append(e.Data);
        captured.Process.ErrorDataReceived += (_, e) => captured.Append(e.Data);
        captured.Process.BeginOutputReadLine();
        captured.Process.BeginErrorReadLine();
        return captured;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

namespace Wheelhouse.Build.InstallProof;

/// <summary>What every step works with: the booted container, where the repository is served, what was built.</summary>
public sealed class ProofContext(BootedContainer container, TextWriter log, ProofSettings settings)
{
    public BootedContainer Container { get; } = container;
    public TextWriter Log { get; } = log;
    public ProofSettings Settings { get; } = settings;

    /// <summary>Where the repository server listens, as the container sees it (set once it has started).</summary>
    public string RepositoryUrl { get; set; } = "";

    /// <summary>Facts a step leaves for a later one (the server's PID before an upgrade, the uploaded file's URL).</summary>
    public Dictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);

    /// <summary>Prints one thing being checked, indented under the step.</summary>
    public void Checking(string what) => Log.WriteLine($"  - {what}");

    /// <summary>Fails the step with <paramref name="failure"/>, noted in the log under the check it belongs to.</summary>
    public void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            Log.WriteLine($"    not so: {failure}");
            throw new InstallProofException(failure);
        }
    }

    /// <summary>Runs a command in the container that must succeed.</summary>
    public async Task<ShellResult> MustAsync(string what, params string[] command) =>
        (await Container.ExecAsync(command)).EnsureSuccess(what);

    public async Task<ShellResult> MustShAsync(string what, string script) =>
        (await Container.ShAsync(script)).EnsureSuccess(what);

    /// <summary>dpkg's view of a package: installed ("install ok installed") at exactly <paramref name="version"/>.</summary>
    public async Task ExpectInstalledAsync(string package, string version)
    {
        var query = await Container.ExecAsync(["dpkg-query", "--show", "--showformat=${Status}|${Version}", package]);
        Expect(query.StandardOutput.Trim() == $"install ok installed|{version}",
            $"{package}: dpkg-query says '{query.StandardOutput.Trim()}{query.StandardError.Trim()}', expected installed at {version}");
    }

    /// <summary>Waits up to 30 s for the unit to be active (or inactive), since start-up takes a moment.</summary>
    public async Task WaitForServiceAsync(bool active)
    {
        var want = active ? "active" : "inactive";
        var state = "";
        for (var i = 0; i < 60; i++)
        {
            state = (await Container.ExecAsync(["systemctl", "is-active", Settings.ServiceUnit], echo: i == 0)).StandardOutput.Trim();
            if (state == want || (active && state == "failed"))
            {
                break;
            }

            await Task.Delay(500);
        }
        Expect(state == want, $"{Settings.ServiceUnit} is '{state}', expected {want}");
    }

    /// <summary>The unit's MainPID as systemd reports it; 0 means it does not run.</summary>
    public async Task<int> MainPidAsync()
    {
        var show = await MustAsync("systemctl show failed", "systemctl", "show", "--property=MainPID", "--value", Settings.ServiceUnit);
        return int.Parse(show.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="url"/> answers 200 (the server binds its port a moment after systemd calls it started).</summary>
    public async Task<HttpAnswer> WaitForHttpOkAsync(string url, TimeSpan timeout, IEnumerable<string>? extraCurlArguments = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var answer = await HttpAsync("GET", url, extraCurlArguments, echo: false);
            if (answer.Status == 200 || watch.Elapsed > timeout)
            {
                Log.WriteLine($"    GET {url} -> {answer.Status} after {watch.Elapsed.TotalSeconds:0.0} s");
                return answer;
            }
            await Task.Delay(500);
        }
    }

    /// <summary>One HTTP request with curl inside the container; the status, headers and body come back.</summary>
    public async Task<HttpAnswer> HttpAsync(string method, string url, IEnumerable<string>? extraCurlArguments = null, bool echo = true)
    {
        var marker = "\n" + HttpAnswer.StatusMarker + "%{http_code}";
        var result = await Container.ExecAsync(["curl", "--silent", "--show-error", "--include", "--request", method,
            "--write-out", marker, .. extraCurlArguments ?? [], url], echo);
        return HttpAnswer.Parse(result.StandardOutput);
    }
}

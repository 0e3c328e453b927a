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

    public void Expect(bool condition, string failure)
    {
        if (!condition)
            throw new InstallProofException(failure);
    }

    /// <summary>Runs a command in the container that must succeed.</summary>
    public async Task<ShellResult> MustAsync(string what, params string[] command) =>
        (await Container.ExecAsync(command)).EnsureSuccess(what);

    public async Task<ShellResult> MustShAsync(string what, string script) =>
        (await Container.ShAsync(script)).EnsureSuccess(what);
}

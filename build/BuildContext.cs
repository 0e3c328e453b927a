using System.Globalization;
using System.Text.RegularExpressions;
using Cake.Common.Diagnostics;
using Cake.Core;
using Cake.Frosting;
using Wheelhouse.Packaging.Apt;
using Wheelhouse.Packaging.Deb;
using Wheelhouse.Packaging.Manifests;
using Wheelhouse.Packaging.Versioning;

namespace Wheelhouse.Build;

/// <summary>What every task needs to know, parsed and validated once from the command line; every bad option is reported together.</summary>
public sealed partial class BuildContext : FrostingContext, IDisposable
{
    /// <summary>Debian architecture → .NET runtime identifier.</summary>
    public static readonly IReadOnlyDictionary<string, string> RuntimeIdentifiers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["amd64"] = "linux-x64",
        ["arm64"] = "linux-arm64",
    };

    private readonly string? _version;
    private readonly DateTimeOffset? _sourceDateEpoch;
    private IReadOnlyList<PackageManifest>? _manifests;
    private readonly List<string> _failedTestRuns = [];

    public BuildContext(ICakeContext context) : base(context)
    {
        RepositoryRoot = FindRepositoryRoot();
        Artifacts = Path.Combine(RepositoryRoot, "artifacts");
        var problems = new List<string>();

        BuildConfiguration = Argument("configuration") ?? "Release";
        if (BuildConfiguration is not ("Release" or "Debug"))
        {
            problems.Add($"--configuration '{BuildConfiguration}' is not Release or Debug");
        }

        var arch = Argument("arch") ?? "amd64,arm64";
        Architectures = arch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        foreach (var unknown in Architectures.Where(a => !RuntimeIdentifiers.ContainsKey(a)))
        {
            problems.Add($"--arch '{unknown}' is not one of {string.Join(", ", RuntimeIdentifiers.Keys)}");
        }

        if (Architectures.Count == 0)
        {
            problems.Add("--arch is empty; give amd64, arm64 or amd64,arm64");
        }

        var compression = Argument("compression") ?? "xz";
        if (DebCompressions.TryParse(compression, out var parsed))
        {
            Compression = parsed;
        }
        else
        {
            problems.Add($"--compression '{compression}' is not one of {DebCompressions.Accepted}");
        }

        _version = Argument("version");
        if (_version is not null && !DebianVersion.TryParse(_version, out _, out var versionError))
        {
            problems.Add($"--version '{_version}' is not a Debian version: {versionError}");
        }

        Suite = Argument("suite") ?? "stable";
        if (!SuiteName().IsMatch(Suite))
        {
            problems.Add($"--suite '{Suite}' must be a simple name such as stable, testing or bookworm");
        }

        var epoch = Argument("source-date-epoch") ?? Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (epoch is not null)
        {
            if (long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 253402300800)
            {
                _sourceDateEpoch = DateTimeOffset.FromUnixTimeSeconds(seconds);
            }
            else
            {
                problems.Add($"source date epoch '{epoch}' (from {(Argument("source-date-epoch") is null ? "SOURCE_DATE_EPOCH" : "--source-date-epoch")}) must be a whole number of seconds since 1970");
            }
        }

        SigningKeySpec = Argument("signing-key") ?? Environment.GetEnvironmentVariable(SigningKey.EnvironmentVariable);
        if (SigningKeySpec is { Length: 0 })
        {
            SigningKeySpec = null;
        }

        if (SigningKeySpec is { } spec && !File.Exists(spec) && (spec.Contains('/') || Path.HasExtension(spec)))
        {
            problems.Add($"signing key file '{spec}' does not exist (give a key file or a key fingerprint)");
        }

        _clientSettings = ClientSettings(Argument("client-index-url"), Argument("client-ca"), problems);

        if (problems.Count > 0)
        {
            throw new ArgumentException(problems.Count == 1 ? problems[0] : "invalid options:\n  " + string.Join("\n  ", problems));
        }
    }

    public string RepositoryRoot { get; }
    public string Artifacts { get; }
    public string BuildConfiguration { get; }
    public string Solution => Path.Combine(RepositoryRoot, "Packaging.sln");
    public IReadOnlyList<string> Architectures { get; }
    public DebCompression Compression { get; }
    public string Suite { get; }
    public string? SigningKeySpec { get; }

    public string PublishRoot => Path.Combine(Artifacts, "publish");
    public string DebDirectory => Path.Combine(Artifacts, "deb");
    public string TestResults => Path.Combine(Artifacts, "test-results");
    public string AptDirectory => Path.Combine(Artifacts, "apt");
    public string TemplatesDirectory => Path.Combine(RepositoryRoot, "debian-templates");

    public string PublishDirectoryFor(string architecture) => Path.Combine(PublishRoot, RuntimeIdentifiers[architecture]);

    /// <summary>Test runs that failed so far; the run goes on to the next suite and fails at its end (<see cref="BuildLifetime"/>).</summary>
    public IReadOnlyList<string> FailedTestRuns => _failedTestRuns;

    /// <summary>Says that a test run failed and records it, so the suites after it still run and report.</summary>
    public void TestRunFailed(string failure)
    {
        this.Error($"error: {failure}");
        _failedTestRuns.Add(failure);
    }

    /// <summary>--version, else git describe mapped to a Debian version (vX.Y.Z → X.Y.Z-1).</summary>
    public async Task<string> ResolveVersionAsync() =>
        _version ?? (await new GitVersionReader(RepositoryRoot).ReadVersionAsync()).ToString();

    /// <summary>--source-date-epoch, else SOURCE_DATE_EPOCH, else the commit time of HEAD.</summary>
    public async Task<DateTimeOffset> ResolveTimestampAsync() =>
        _sourceDateEpoch ?? await new GitVersionReader(RepositoryRoot).ReadCommitTimeAsync();

    public void Say(string message) => this.Information(message);

    public void Warn(string message) => this.Warning(message);

    /// <summary>
    /// Every package manifest under debian-templates/, loaded strictly (all problems in one error), with the settings
    /// given on the command line (--client-index-url, --client-ca) put into the package that declares them.
    /// </summary>
    public IReadOnlyList<PackageManifest> Manifests() => _manifests ??= ManifestLoader.LoadAll(TemplatesDirectory, RepositoryRoot)
        .Select(m => m.Package == ClientConfigPackage && _clientSettings.Count > 0
            ? m with { Settings = m.Settings.Concat(_clientSettings).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal) }
            : m)
        .ToList();

    /// <summary>The package whose debconf defaults --client-index-url and --client-ca set.</summary>
    public const string ClientConfigPackage = "wheelhouse-client-config";

    private readonly Dictionary<string, string> _clientSettings;

    /// <summary>The client package's settings from the command line: index-url, and ca-certificate (the PEM text of --client-ca).</summary>
    private static Dictionary<string, string> ClientSettings(string? indexUrl, string? caFile, List<string> problems)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (indexUrl is not null)
        {
            if (Uri.TryCreate(indexUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && !indexUrl.Any(c => char.IsWhiteSpace(c) || c is '"' or '\\' or '\''))
            {
                settings["index-url"] = indexUrl;
            }
            else
            {
                problems.Add($"--client-index-url '{indexUrl}' must be an http:// or https:// URL such as https://pypi.example.com/root/pypi/+simple/");
            }
        }
        if (caFile is not null)
        {
            var pem = File.Exists(caFile) ? File.ReadAllText(caFile).Replace("\r\n", "\n", StringComparison.Ordinal).Trim() : null;
            if (pem is null)
            {
                problems.Add($"--client-ca '{caFile}' does not exist (give a PEM file with the company CA certificate)");
            }
            else if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) || pem.Contains("PRIVATE KEY", StringComparison.Ordinal)
                     || pem.Split('\n').Any(l => l.Trim() == "WHEELHOUSE_CA"))
            {
                problems.Add($"--client-ca '{caFile}' is not a PEM certificate (it needs a BEGIN CERTIFICATE block and must hold no private key)");
            }
            else
            {
                settings["ca-certificate"] = pem + "\n";
            }
        }
        return settings;
    }

    /// <summary>The one project the per-arch packages carry, found from the manifests' payload.publish.</summary>
    public string PayloadProject()
    {
        var projects = Manifests().Where(m => m.Payload is not null).Select(m => m.Payload!.Publish).Distinct().ToList();
        return projects.Count switch
        {
            1 => projects[0],
            0 => throw new InvalidOperationException("no manifest in debian-templates/ has a payload to publish"),
            _ => throw new InvalidOperationException($"manifests publish {projects.Count} different projects ({string.Join(", ", projects)}); artifacts/publish/<rid>/ holds one"),
        };
    }

    /// <summary>Remembers which .deb files the last packages run produced, for apt and verify.</summary>
    public void RecordBuiltPackages(IEnumerable<string> debs)
    {
        Directory.CreateDirectory(DebDirectory);
        File.WriteAllLines(BuiltListPath, debs.Select(d => Path.GetRelativePath(DebDirectory, d)).Order(StringComparer.Ordinal));
    }

    public IReadOnlyList<string> BuiltPackages()
    {
        if (!File.Exists(BuiltListPath))
        {
            throw new InvalidOperationException($"no packages built yet ({BuiltListPath} is missing); run ./build.sh deb first");
        }

        var debs = File.ReadAllLines(BuiltListPath).Where(l => l.Length > 0).Select(l => Path.Combine(DebDirectory, l)).ToList();
        var missing = debs.Where(d => !File.Exists(d)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"packages of the last build are gone ({string.Join(", ", missing)}); run ./build.sh deb again");
        }

        return debs;
    }

    private string BuiltListPath => Path.Combine(DebDirectory, "last-build.txt");

    /// <summary>
    /// Takes artifacts/.lock for the rest of this run, waiting while another build of this checkout holds it:
    /// two builds publishing into the same folders would delete each other's output.
    /// </summary>
    public void LockArtifacts()
    {
        if (_artifactsLock is not null)
        {
            return;
        }

        Directory.CreateDirectory(Artifacts);
        var path = Path.Combine(Artifacts, ".lock");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                _artifactsLock = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException) when (waited.Elapsed < TimeSpan.FromMinutes(20))
            {
                if (waited.Elapsed < TimeSpan.FromSeconds(1))
                {
                    Say($"another build is using {Artifacts}; waiting for it to finish");
                }

                Thread.Sleep(TimeSpan.FromSeconds(2));
            }
        }
    }

    private FileStream? _artifactsLock;

    /// <summary>Lets the next build of this checkout take artifacts/.lock.</summary>
    public void Dispose() => _artifactsLock?.Dispose();

    private string? Argument(string name) =>
        Arguments.HasArgument(name) ? Arguments.GetArguments(name).Last() : null;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Packaging.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find Packaging.sln above the current directory; run ./build.sh from the repository");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]*$")]
    private static partial Regex SuiteName();
}

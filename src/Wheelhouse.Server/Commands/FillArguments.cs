using System.Text.RegularExpressions;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Server.Commands;

/// <summary>
/// The arguments of <c>fill USER/INDEX --requirements FILE ...</c>, read by <see cref="Configuration.CommandLine"/>
/// alongside the options every command takes (<c>--config</c>, <c>--host</c>, <c>--port</c>).
/// </summary>
public sealed partial record FillArguments(
    IndexPath Target, IReadOnlyList<string> Requirements, IndexPath? From, IReadOnlyList<string> Platforms, IReadOnlyList<string> PythonVersions,
    Uri? Server, string? User, string? PasswordFile, string Python, bool DryRun, bool Refresh)
{
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>Collects the fill options one by one, then <see cref="Build"/> checks them together.</summary>
    public sealed class Builder
    {
        private readonly List<string> _requirements = [];
        private readonly List<string> _platforms = [];
        private readonly List<string> _pythonVersions = [];
        private readonly List<string> _problems = [];
        private string? _target;
        private string? _from;
        private string? _server;
        private string? _user;
        private string? _passwordFile;
        private string _python = DefaultPython;
        private bool _dryRun;
        private bool _refresh;

        /// <summary>
        /// Takes <c>args[i]</c> (and its value) when it is a fill argument; false leaves it to the common options.
        /// A fill option without its value is a problem reported by <see cref="Build"/>.
        /// </summary>
        public bool TryTake(string[] args, ref int i)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                if (_target is not null)
                {
                    _problems.Add($"unexpected argument '{arg}': fill takes one USER/INDEX");
                }
                _target ??= arg;
                return true;
            }
            switch (arg)
            {
                case "--dry-run":
                    _dryRun = true;
                    return true;
                case "--refresh":
                    _refresh = true;
                    return true;
            }
            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            Action<string>? take = name switch
            {
                "-r" or "--requirements" => _requirements.Add,
                "--from" => v => _from = v,
                "--platform" => _platforms.Add,
                "--python-version" => _pythonVersions.Add,
                "--server" => v => _server = v,
                "--user" => v => _user = v,
                "--password-file" => v => _passwordFile = v,
                "--python" => v => _python = v,
                _ => null,
            };
            if (take is null)
            {
                return false;
            }
            if (inline is null && i + 1 >= args.Length)
            {
                _problems.Add($"option '{name}' needs a value");
                return true;
            }
            take(inline ?? args[++i]);
            return true;
        }

        public FillArguments? Build(out string? error)
        {
            var problems = new List<string>(_problems);
            IndexPath? target = null;
            IndexPath? from = null;
            Uri? server = null;
            if (_target is null)
            {
                problems.Add("fill needs the target index: wheelhouse-server fill USER/INDEX --requirements FILE");
            }
            else if (!IndexPath.TryParse(_target, out target, out var targetError))
            {
                problems.Add($"invalid target index '{_target}' (expected USER/INDEX): {targetError}");
            }
            if (_requirements.Count == 0)
            {
                problems.Add("fill needs --requirements FILE (a pip requirements file)");
            }
            if (_from is not null && !IndexPath.TryParse(_from, out from, out var fromError))
            {
                problems.Add($"invalid --from '{_from}' (expected USER/INDEX): {fromError}");
            }
            foreach (var version in _pythonVersions.Where(v => !PythonVersion().IsMatch(v)))
            {
                problems.Add($"invalid --python-version '{version}': expected X.Y such as 3.11 (or X.Y.Z)");
            }
            foreach (var platform in _platforms.Where(p => !PlatformTag().IsMatch(p)))
            {
                problems.Add($"invalid --platform '{platform}': expected a wheel platform tag such as manylinux2014_x86_64 or win_amd64");
            }
            if (_server is not null && (!Uri.TryCreate(_server.TrimEnd('/') + "/", UriKind.Absolute, out server) || server.Scheme is not ("http" or "https")))
            {
                problems.Add($"invalid --server '{_server}': expected the server's http:// or https:// URL");
            }
            if ((_user is null) != (_passwordFile is null))
            {
                problems.Add("--user and --password-file go together: the file holds the user's password or a login token");
            }
            error = problems.Count > 0 ? string.Join("; ", problems) : null;
            return error is null
                ? new FillArguments(target!, _requirements, from, _platforms.Distinct().ToList(), _pythonVersions.Distinct().ToList(), server, _user, _passwordFile,
                    _python, _dryRun, _refresh)
                : null;
        }
    }

    [GeneratedRegex(@"^[0-9]{1,4}\.[0-9]{1,4}(\.[0-9]{1,4})?$")]
    private static partial Regex PythonVersion();

    [GeneratedRegex(@"^[A-Za-z0-9_.]{1,1000}$")]
    private static partial Regex PlatformTag();
}

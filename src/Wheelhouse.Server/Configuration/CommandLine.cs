namespace Wheelhouse.Server.Configuration;

/// <summary>The parsed command line: <c>serve</c>, <c>init</c>, <c>layout apply</c>, <c>ldap check</c>, version or help, with the options that override the config.</summary>
public sealed record CommandLine(string Command, string? ConfigPath, IReadOnlyDictionary<string, string> Overrides)
{
    /// <summary>The YAML file of <c>layout apply FILE</c>.</summary>
    public string? LayoutFile { get; init; }

    /// <summary><c>layout apply --dry-run</c>: print the plan, change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>The NAME of <c>ldap check NAME</c>.</summary>
    public string? LdapUser { get; init; }

    /// <summary><c>ldap check --password-stdin</c>: read the password from standard input instead of the terminal.</summary>
    public bool PasswordStdin { get; init; }

    /// <summary>The DIR of <c>import</c>, <c>export</c>, <c>backup</c> and <c>restore</c>.</summary>
    public string? Directory { get; init; }

    /// <summary><c>backup --pace PERCENT</c>: the share of the time the backup may work (<see cref="Transfer.Pacer"/>).</summary>
    public int Pace { get; init; } = Transfer.Pacer.DefaultPercent;

    /// <summary><c>check --repair</c>: fix what can be fixed without losing data.</summary>
    public bool Repair { get; init; }

    /// <summary>The arguments of <c>fill</c>.</summary>
    public Commands.FillArguments? Fill { get; init; }

    /// <summary>Where <c>migrate-storage</c> moves the metadata to.</summary>
    public MigrationTarget? MigrateTo { get; init; }

    /// <summary><c>migrate-storage --to KIND --connection-string CS [--password-file FILE]</c>.</summary>
    public sealed record MigrationTarget(string Kind, string ConnectionString, string? PasswordFile)
    {
        public override string ToString() => $"--to {Kind}"; // the connection string may hold a password
    }

    private static readonly string[] MigrateOptions = ["to", "connection-string", "password-file"];

    /// <summary>The commands that take a directory argument.</summary>
    private static readonly HashSet<string> DirectoryCommands = new(StringComparer.Ordinal) { "import", "export", "backup", "restore" };

    public const string Usage = """
        Usage: wheelhouse-server <command> [options]

        Commands:
          serve     run the package index server
          init      create the data directory and set the root password, then exit
          layout apply FILE [--dry-run]
                    create or update users and indexes from a YAML layout file (idempotent); --dry-run prints the
                    plan and changes nothing. A running server takes the change in on its next request, no
                    restart; run it as the service user, so the database stays its own. New users' passwords
                    come from the variables named by password_env.
          ldap check NAME [--password-stdin]
                    log NAME in against the configured directory (--ldap-config) and print the server used, the
                    DN found, the groups and each step's time; the password is asked for on the terminal, or read
                    from standard input. Exit status 0 logged in, 1 refused, 69 directory unreachable.
          import DIR
                    import what devpi-export (devpi-server 4 to 6) or 'export' wrote: users with their passwords,
                    indexes, releases, files (sha256 checked), upload and push history, documentation. Only into an
                    empty or freshly initialized data directory; all or nothing.
          export DIR
                    write every user, index, release and file in devpi-export's format (dumpversion 2) into the new
                    or empty DIR from one consistent snapshot, while the server may keep running
          backup DIR [--pace PERCENT]
                    copy the database (online) and the blobs it references into the new or empty DIR while the
                    server runs and takes uploads; DIR/BACKUP-COMPLETE, written last, marks it complete. Blobs
                    are linked (copied across file systems) before uploads are held off, for the blink of the
                    database copy only. --pace: the most of the time the backup works, resting in between so
                    the server's pages stay fast (default 10, a tenth of the time; 1 to 100; 100 is full
                    speed, for a server that is down or idle)
          restore DIR
                    restore a complete backup into an empty data directory; the result passes 'check'
          migrate-storage --to postgresql --connection-string CS [--password-file FILE]
                    copy this installation's metadata from its SQLite file into the new, empty PostgreSQL database
                    CS (such as "Host=db;Database=wheelhouse;Username=wheelhouse"; the password from FILE), with
                    progress, all or nothing; keeps the serial and the server's identity, and checks the result.
                    Stop the server first; then set storage.kind and storage.connectionString and start it
          check [--repair]
                    verify every blob's sha256, that every referenced blob exists and that the served tree matches
                    the database; report each problem, exit 1 on any. --repair relinks and reconciles what can be
                    fixed without losing data and says what could not be
          fill USER/INDEX --requirements FILE [--from MIRROR] [--platform TAG ...] [--python-version X.Y ...]
                    [--user NAME --password-file FILE] [--server URL] [--python PATH] [--dry-run] [--refresh]
                    fill a stage index, for work offline, with every wheel that a pip requirements file needs
                    (includes, extras, markers and hash pins honoured), transitively, as pip picks them for each
                    requested platform and Python version. Needs pip: resolution is pip's job ('pip download',
                    binary wheels only, run by --python, default /usr/bin/python3; Debian: python3-pip).
                    pip downloads through the mirror (--from; default: the one mirror among USER/INDEX's
                    bases), which caches the files; then the server copies them into USER/INDEX, each sha256
                    checked against what the mirror stored, with a fill entry in each file's history.
                    fill talks to the running server over HTTP (--server; default the configured outsideUrl,
                    else http://HOST:PORT): no downtime, no access to the data directory, the server's own
                    rules apply. It acts as --user, whose password or login token is the first line of
                    --password-file ('-' reads standard input). All or nothing per run: when pip cannot meet
                    the requirements for any platform, fill prints pip's reason and copies nothing. Running
                    it again copies nothing new and says so; when every requirement is pinned with == and a
                    hash, and all files of the last such fill are still there, pip is not even run
                    (--refresh runs it). --dry-run downloads and says what would be copied. Exit status 0
                    filled or nothing new, 1 refused or unresolvable, 69 pip or the server not usable.
          version   print the server's version (its package's), then exit
          help      show this help

        Options (all but version and help):
          --config PATH     JSON configuration file (default: $WHEELHOUSE_CONFIG, else /etc/wheelhouse-server/wheelhouse.json if present)
          --host HOST       address to listen on (default 127.0.0.1)
          --port PORT       port to listen on (default 3141; 0 = any free port)
          --data-dir DIR    data directory (default ~/.local/share/wheelhouse-server)
          --ldap-config FILE  devpi-ldap's YAML file: users and groups from LDAP or Active Directory
          -h, --help        show this help
          --version         print the version

        Environment: WHEELHOUSE_CONFIG, WHEELHOUSE_HOST, WHEELHOUSE_PORT, WHEELHOUSE_DATA_DIR, WHEELHOUSE_OUTSIDE_URL,
          WHEELHOUSE_ROOT_PASSWORD, WHEELHOUSE_MAX_UPLOAD_SIZE, WHEELHOUSE_TOKEN_LIFETIME, WHEELHOUSE_LOG_LEVEL,
          WHEELHOUSE_LDAP_CONFIG, WHEELHOUSE_MIRROR_PROXY, WHEELHOUSE_MIRROR_NO_PROXY, WHEELHOUSE_THEME_COMPANY,
          WHEELHOUSE_THEME_LOGO, WHEELHOUSE_THEME_PRIMARY_COLOR, WHEELHOUSE_THEME_ACCENT_COLOR, WHEELHOUSE_THEME_FOOTER
          (the web pages' theme), WHEELHOUSE_STORAGE_KIND, WHEELHOUSE_STORAGE_CONNECTION_STRING,
          WHEELHOUSE_STORAGE_PASSWORD_FILE. Mirror traffic also honours
          https_proxy, http_proxy and no_proxy (either case) unless mirrorProxy is set.
        Precedence: command line > environment > config file > defaults.
        """;

    private static readonly Dictionary<string, string> OptionKeys = new(StringComparer.Ordinal)
    {
        ["host"] = "host",
        ["port"] = "port",
        ["data-dir"] = "dataDir",
        ["ldap-config"] = "ldapConfig",
    };

    public static string OptionFor(string key) => OptionKeys.First(p => p.Value == key).Key;

    /// <summary>Parses <paramref name="args"/>; on a usage error returns null with the message.</summary>
    public static CommandLine? Parse(string[] args, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] is "help" or "--help" or "-h")
        {
            return new CommandLine("help", null, new Dictionary<string, string>());
        }
        if (args is ["version" or "--version"])
        {
            return new CommandLine("version", null, new Dictionary<string, string>());
        }
        var command = args[0];
        if (command is not ("serve" or "init" or "layout" or "ldap" or "check" or "fill" or "migrate-storage") && !DirectoryCommands.Contains(command))
        {
            error = $"unknown command '{command}'; expected serve, init, layout, ldap, import, export, backup, restore, check, fill, migrate-storage, version or help";
            return null;
        }
        string? layoutFile = null;
        string? ldapUser = null;
        string? directory = null;
        var repair = false;
        var pace = Transfer.Pacer.DefaultPercent;
        var dryRun = false;
        var passwordStdin = false;
        var fill = command == "fill" ? new Commands.FillArguments.Builder() : null;
        var migrate = new Dictionary<string, string>(StringComparer.Ordinal);
        var first = 1;
        if (command == "layout")
        {
            if (args.Length < 2 || args[1] != "apply")
            {
                error = "expected 'layout apply FILE [--dry-run]'";
                return null;
            }
            first = 2;
        }
        if (command == "ldap")
        {
            if (args.Length < 2 || args[1] != "check")
            {
                error = "expected 'ldap check NAME [--password-stdin]'";
                return null;
            }
            first = 2;
        }
        string? config = null;
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = first; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return new CommandLine("help", null, overrides);
            }
            if (fill is not null && arg is not ("--config" or "--host" or "--port" or "--data-dir" or "--ldap-config")
                && !arg.StartsWith("--config=", StringComparison.Ordinal) && fill.TryTake(args, ref i))
            {
                continue;
            }
            if (command == "layout" && arg == "--dry-run")
            {
                dryRun = true;
                continue;
            }
            if (command == "ldap" && arg == "--password-stdin")
            {
                passwordStdin = true;
                continue;
            }
            if (command == "ldap" && ldapUser is null && !arg.StartsWith("--", StringComparison.Ordinal))
            {
                ldapUser = arg;
                continue;
            }
            if (command == "layout" && layoutFile is null && !arg.StartsWith("--", StringComparison.Ordinal))
            {
                layoutFile = arg;
                continue;
            }
            if (command == "backup" && (arg == "--pace" || arg.StartsWith("--pace=", StringComparison.Ordinal)))
            {
                var given = arg == "--pace" ? (i + 1 < args.Length ? args[++i] : "") : arg["--pace=".Length..];
                if (Transfer.Pacer.Parse(given, out error) is not { } percent)
                {
                    return null;
                }
                pace = percent;
                continue;
            }
            if (command == "check" && arg == "--repair")
            {
                repair = true;
                continue;
            }
            if (DirectoryCommands.Contains(command) && directory is null && !arg.StartsWith("--", StringComparison.Ordinal))
            {
                directory = arg;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unexpected argument '{arg}'";
                return null;
            }
            var name = arg[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            var migrateOption = command == "migrate-storage" && MigrateOptions.Contains(name);
            if (name != "config" && !OptionKeys.ContainsKey(name) && !migrateOption)
            {
                error = $"unknown option '--{name}'; options are --config, --host, --port, --data-dir, --ldap-config";
                return null;
            }
            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"option '--{name}' needs a value";
                    return null;
                }
                value = args[++i];
            }
            if (name == "config")
            {
                config = value;
            }
            else if (migrateOption)
            {
                migrate[name] = value;
            }
            else
            {
                overrides[OptionKeys[name]] = value;
            }
        }
        if (command == "layout" && layoutFile is null)
        {
            error = "layout apply needs the layout FILE (YAML)";
            return null;
        }
        if (command == "ldap" && ldapUser is null)
        {
            error = "ldap check needs the user NAME";
            return null;
        }
        if (DirectoryCommands.Contains(command) && directory is null)
        {
            error = $"{command} needs the directory: wheelhouse-server {command} DIR";
            return null;
        }
        Commands.FillArguments? fillArguments = null;
        if (fill is not null && (fillArguments = fill.Build(out error)) is null)
        {
            return null;
        }
        MigrationTarget? migrateTo = null;
        if (command == "migrate-storage")
        {
            if (!migrate.TryGetValue("to", out var to) || !migrate.TryGetValue("connection-string", out var connectionString))
            {
                error = "migrate-storage needs --to postgresql and --connection-string CS (and --password-file FILE for the password)";
                return null;
            }
            migrateTo = new MigrationTarget(to, connectionString, migrate.GetValueOrDefault("password-file"));
        }
        return new CommandLine(command, config, overrides) { Fill = fillArguments, LayoutFile = layoutFile, DryRun = dryRun, LdapUser = ldapUser, PasswordStdin = passwordStdin, Directory = directory, Pace = pace, Repair = repair, MigrateTo = migrateTo };
    }
}

using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Console;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Application.Users;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Endpoints;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Layout;
using Wheelhouse.Server.Ldap;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Server.Simple;
using Wheelhouse.Storage;

namespace Wheelhouse.Server;

/// <summary>The composition root: command line, configuration, storage and the HTTP endpoints are wired here only.</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var phases = new StartupPhases();
        var command = CommandLine.Parse(args, out var usageError);
        if (command is null)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: {usageError}\nRun 'wheelhouse-server --help' for usage.");
            return 2;
        }
        if (command.Command == "help")
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }
        if (command.Command == "version")
        {
            Console.WriteLine(ServerVersion.Current);
            return 0;
        }
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        var config = ConfigurationLoader.Load(command.ConfigPath, command.Overrides, environment);
        if (config.Options is not { } options)
        {
            foreach (var problem in config.Problems)
            {
                await Console.Error.WriteLineAsync($"wheelhouse-server: configuration error: {problem}");
            }
            return 78; // EX_CONFIG: systemd shows it as a configuration failure, not a crash.
        }
        if (command.Command == "init")
        {
            using var loggerFactory = LoggerFactory.Create(l => ConfigureLogging(l, options));
            using var store = PackageStore.OpenDataDirectory(options.DataDirectory);
            _ = TokenService.LoadOrCreateSecret(options.DataDirectory);
            var message = await RootAccount.EnsureAsync(store, new PasswordHasher(), options, setConfiguredPassword: true, loggerFactory.CreateLogger("init"));
            Console.WriteLine($"wheelhouse-server: {message}");
            return 0;
        }
        if (command.Command == "ldap")
        {
            if (options.Ldap is not { } ldap)
            {
                await Console.Error.WriteLineAsync("wheelhouse-server: ldap check: no directory is configured (--ldap-config FILE, WHEELHOUSE_LDAP_CONFIG or ldapConfig)");
                return 78;
            }
            return LdapCheck.Run(ldap, command.LdapUser!, LdapCheck.ReadPassword(command.PasswordStdin), Console.Out);
        }
        if (command.Command == "layout")
        {
            return await ApplyLayoutAsync(options, command.LayoutFile!, command.DryRun);
        }
        if (command.Command == "import")
        {
            return await Transfer.ImportCommand.RunAsync(options, command.Directory!, CancellationToken.None);
        }
        phases.Mark("configuration");
        var app = await CreateAppAsync(options, phases: phases);
        await app.RunAsync();
        return 0;
    }

    /// <summary><c>layout apply FILE [--dry-run]</c>: prints the plan; 65 (EX_DATAERR) with every problem when the layout is bad.</summary>
    private static async Task<int> ApplyLayoutAsync(ServerOptions options, string file, bool dryRun)
    {
        if (!LayoutFileParser.ParseFile(file).IsValid(out var spec, out var invalid))
        {
            foreach (var problem in invalid.Problems)
            {
                await Console.Error.WriteLineAsync($"wheelhouse-server: layout: {problem}");
            }
            return 65;
        }
        using var loggerFactory = LoggerFactory.Create(l => ConfigureLogging(l, options));
        using var store = PackageStore.OpenDataDirectory(options.DataDirectory);
        var hasher = new PasswordHasher();
        // The server creates root on its first start; a layout applied before that start must find it too.
        await RootAccount.EnsureAsync(store, hasher, options, setConfiguredPassword: false, loggerFactory.CreateLogger("layout"));
        var applier = new LayoutApplier(new DatabaseLayoutTarget(store, TimeProvider.System), hasher.Hash, Environment.GetEnvironmentVariable);
        if (!(await applier.ApplyAsync(spec, dryRun, CancellationToken.None)).IsValid(out var report, out var refused))
        {
            foreach (var problem in refused.Problems)
            {
                await Console.Error.WriteLineAsync($"wheelhouse-server: layout: {problem}");
            }
            await Console.Error.WriteLineAsync("wheelhouse-server: layout: nothing was changed");
            return 65;
        }
        var lines = report.Describe().Split('\n');
        foreach (var line in lines)
        {
            Console.WriteLine(dryRun && !report.Plan.IsEmpty && !line.StartsWith("not in the layout", StringComparison.Ordinal) ? $"would {line}" : line);
        }
        if (report.Applied)
        {
            Console.WriteLine($"applied {report.Plan.Actions.Count} change(s)");
        }
        return 0;
    }

    /// <summary>Builds the server for <paramref name="options"/> (tests call this with a temp data dir and port 0).</summary>
    /// <param name="mirrorHttp">Upstream timeouts and retries; tests shorten them.</param>
    /// <param name="phases">Start-up timing, logged at Debug when listening; null times from here.</param>
    public static async Task<WebApplication> CreateAppAsync(ServerOptions options, PasswordHasher? hasher = null, MirrorHttpOptions? mirrorHttp = null, StartupPhases? phases = null)
    {
        phases ??= new StartupPhases();
        Directory.CreateDirectory(options.DataDirectory);
        hasher ??= new PasswordHasher();
        var users = new UsersAndIndexes();
        ILogger? storageLogger = null; // the host's logger, once it exists; the served tree reports through it
        void ServedTreeProblem(string problem) => storageLogger?.LogWarning("served tree: {Problem}; the server serves this file itself", problem);
        // Storage opens on the second core while the host is composed (migrations; on a first start, root's deliberately
        // slow password hash). Nothing listens before it is done.
        phases.StartTrack(StartupPhases.StorageTrack);
        var storage = Task.Run(() => OpenStorageAsync(options, users, hasher, phases, ServedTreeProblem));
        // Settings come from ConfigurationLoader, never from appsettings files: no watcher on the install directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // uploads enforce maxUploadSize themselves, with a 413 that says so
        });
        builder.Logging.ClearProviders();
        ConfigureLogging(builder.Logging, options);
        builder.Host.UseSystemd();
        phases.Mark("host builder");

        var tokens = new TokenService(TokenService.LoadOrCreateSecret(options.DataDirectory), TimeSpan.FromSeconds(options.TokenLifetimeSeconds), TimeProvider.System);

        builder.Services.AddSingleton(options);
        // Resolved only once the storage task is awaited below, after Build and before anything is served.
        builder.Services.AddSingleton(_ => storage.Result.Store);
        builder.Services.AddSingleton(hasher);
        builder.Services.AddSingleton(users);
        builder.Services.AddSingleton(tokens);
        builder.Services.AddSingleton<IDirectoryLogin>(services => options.Ldap is { } ldap
            ? new CachedDirectoryLogin(new LdapDirectory(ldap, services.GetRequiredService<ILogger<LdapDirectory>>()), ldap, TimeProvider.System)
            : new NoDirectory());
        builder.Services.AddSingleton<Authenticator>();
        builder.Services.AddSingleton(new LoginThrottle(TimeProvider.System));
        builder.Services.AddSingleton<ClientAddress>();
        builder.Services.AddSingleton<RefusalLog>();
        builder.Services.AddSingleton<PasswordRehash>();
        builder.Services.AddSingleton<OutsideUrl>();
        builder.Services.AddSingleton<DevpiHeaders>();
        builder.Services.AddSingleton<UnhandledErrors>();
        builder.Services.AddSingleton<OtherProcessChanges>();
        builder.Services.AddSingleton<RenderedPageCache>();
        builder.Services.AddSingleton<IndexViews>();
        builder.Services.AddSingleton<SimplePages>();
        builder.Services.AddSingleton<UserService>();
        builder.Services.AddSingleton<IndexService>();
        builder.Services.AddSingleton<ReleaseService>();
        builder.Services.AddSingleton<UploadService>();
        builder.Services.AddSingleton<PushService>();
        builder.Services.AddSingleton<MirrorFileService>();
        builder.Services.AddJsonViewCompression();
        builder.Services.AddMirrorUpstream(mirrorHttp ?? new MirrorHttpOptions(), Path.Combine(options.DataDirectory, "mirror-pages"));

        var app = builder.Build();
        // The directory client now, not at the first log-in: libldap missing is a start-up error, not a 500.
        _ = app.Services.GetRequiredService<IDirectoryLogin>();
        phases.Mark("services and host build");
        storageLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wheelhouse.Storage");
        var (store, rootMessage) = await storage;
        if (rootMessage is not null)
        {
            app.Logger.LogInformation("{Message}", rootMessage);
        }
        // Before serving: nginx serves release files from this tree, so it must match the database first.
        if (store.ReconcileServedTree() is var (report, took))
        {
            foreach (var problem in report.Problems)
            {
                ServedTreeProblem(problem);
            }
            storageLogger.LogInformation("served tree reconciled with the database at serial {Serial} in {Milliseconds:F0} ms: {Expected} names, {Linked} linked, {Removed} removed",
                store.Serial, took.TotalMilliseconds, report.Expected, report.Linked, report.Removed);
        }
        phases.Mark("storage awaited and served tree checked");

        var otherProcesses = app.Services.GetRequiredService<OtherProcessChanges>();
        app.Use((context, next) => otherProcesses.InvokeAsync(context, next)); // first: a layout applied beside it is seen at once
        var headers = app.Services.GetRequiredService<DevpiHeaders>();
        var errors = app.Services.GetRequiredService<UnhandledErrors>();
        app.Use((context, next) => headers.InvokeAsync(context, next));
        app.Use((context, next) => errors.InvokeAsync(context, next));
        app.UseResponseCompression();
        app.UseHeadAsGet();
        StatusEndpoints.Map(app);
        LoginEndpoint.Map(app);
        UserEndpoints.Map(app);
        IndexEndpoints.Map(app);
        SimpleEndpoints.Map(app);
        FileEndpoints.Map(app);
        ProjectEndpoints.Map(app);
        UploadEndpoint.Map(app);
        PushEndpoint.Map(app);
        phases.Mark("endpoints mapped");
        app.Lifetime.ApplicationStopped.Register(store.Dispose);
        app.Lifetime.ApplicationStopped.Register(store.MarkServedTreeInStep); // runs first: callbacks run last-registered first
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Measured from the process's own start, so a loaded machine's process-spawn time is not hidden.
            phases.Mark("listening");
            var sinceStart = phases.Elapsed;
            app.Logger.LogDebug("start-up phases: {Phases}", phases.Describe());
            app.Logger.LogInformation("wheelhouse-server {Version} ready on {Urls} ({Milliseconds:F0} ms after process start), data in {DataDirectory}",
                DevpiHeaders.ServerVersion, string.Join(", ", app.Urls), sinceStart.TotalMilliseconds, options.DataDirectory);
        });
        return app;
    }

    /// <summary>Storage as the server needs it before serving: migrated, crash leftovers removed, root present, users loaded.</summary>
    private static async Task<OpenedStorage> OpenStorageAsync(
        ServerOptions options, UsersAndIndexes users, PasswordHasher hasher, StartupPhases phases, Action<string> servedTreeProblem)
    {
        // No store yet: a first start, which creates root; its slow password hash runs while the schema is made.
        var rootDraft = PackageStore.ExistsIn(options.DataDirectory) ? null : RootAccount.PasswordDraft.Start(options, hasher);
        var store = PackageStore.OpenDataDirectory(options.DataDirectory, servedTreeProblem);
        try
        {
            phases.Mark("database open and migration check", StartupPhases.StorageTrack);
            store.CollectUnreferencedBlobs();
            phases.Mark("blob garbage collection", StartupPhases.StorageTrack);
            var rootMessage = await RootAccount.EnsureQuietlyAsync(store, hasher, options, setConfiguredPassword: false, rootDraft).ConfigureAwait(false);
            using (var reader = store.Read())
            {
                users.Refresh(reader);
            }
            phases.Mark("root account and user directory", StartupPhases.StorageTrack);
            return new OpenedStorage(store, rootMessage);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <param name="RootMessage">What was done to root (logged once the logger exists), or null when nothing was.</param>
    private sealed record OpenedStorage(PackageStore Store, string? RootMessage);

    private static void ConfigureLogging(ILoggingBuilder logging, ServerOptions options)
    {
        logging.SetMinimumLevel(options.LogLevel);
        logging.AddFilter("Microsoft.AspNetCore", options.LogLevel > LogLevel.Warning ? options.LogLevel : LogLevel.Warning);
        if (options.LogLevel > LogLevel.Debug)
        {
            // The mirror client logs one line per failed upstream call with its kind (refused, timeout, circuit open);
            // Polly's per-attempt events repeat it with stack traces, and HttpClient logs every request at Information.
            logging.AddFilter("Polly", LogLevel.None);
            logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        }
        if (SystemdHelpers.IsSystemdService())
        {
            // journald adds its own timestamps; the systemd formatter writes <N> priority prefixes.
            logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.ColorBehavior = LoggerColorBehavior.Disabled;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
    }
}

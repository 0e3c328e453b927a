using Wheelhouse.Server.Application;
using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Application.Mirrors;
using Wheelhouse.Server.Application.Push;
using Wheelhouse.Server.Application.Releases;
using Wheelhouse.Server.Application.Users;
using Wheelhouse.Server.Auth;
using Wheelhouse.Server.Commands;
using Wheelhouse.Server.Configuration;
using Wheelhouse.Server.Endpoints;
using Wheelhouse.Server.Hosting;
using Wheelhouse.Server.Http;
using Wheelhouse.Server.Ldap;
using Wheelhouse.Server.Metrics;
using Wheelhouse.Server.Mirrors;
using Wheelhouse.Server.Simple;
using Wheelhouse.Server.Web;
using Wheelhouse.Server.Web.Docs;
using Wheelhouse.Server.Web.Session;
using Wheelhouse.Storage;

namespace Wheelhouse.Server;

/// <summary>
/// The composition root. The command line (<see cref="Invocation"/>) chooses a command; every command starts from
/// <see cref="DataDirectoryStartup"/>; <c>serve</c> composes the HTTP server below: storage, services, middleware,
/// endpoints.
/// </summary>
public static class Program
{
    /// <summary>EX_UNAVAILABLE: the metadata database cannot be reached (systemd retries; the message says which and why).</summary>
    public const int StorageUnavailableExit = 69;

    public static async Task<int> Main(string[] args)
    {
        var phases = new StartupPhases();
        var invocation = await Invocation.ReadAsync(args, Console.Out, Console.Error);
        if (invocation is not { Command: { } command, Options: { } options })
        {
            return invocation.ExitCode;
        }
        try
        {
            return await RunAsync(command, options, phases);
        }
        catch (StorageUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"wheelhouse-server: {command.Command}: {e.Message}");
            return StorageUnavailableExit;
        }
    }

    private static async Task<int> RunAsync(CommandLine command, ServerOptions options, StartupPhases phases)
    {
        if (command.Command == "migrate-storage")
        {
            return await Transfer.MigrateStorageCommand.RunAsync(options, command.MigrateTo!, CancellationToken.None);
        }
        if (command.Command == "export")
        {
            return await Transfer.ExportCommand.RunAsync(options, command.Directory!, CancellationToken.None);
        }
        if (command.Command is "backup" or "restore" or "check")
        {
            return command.Command switch
            {
                "backup" => await Transfer.BackupCommand.BackupAsync(options, command.Directory!, command.Pace, CancellationToken.None),
                "restore" => await Transfer.BackupCommand.RestoreAsync(options, command.Directory!, CancellationToken.None),
                _ => await Transfer.CheckCommand.RunAsync(options, command.Repair, CancellationToken.None),
            };
        }
        phases.Mark("configuration");
        return command.Command switch
        {
            "init" => await InitCommand.RunAsync(options, Console.Out),
            "layout" => await LayoutApplyCommand.RunAsync(options, command.LayoutFile!, command.DryRun, Console.Out, Console.Error),
            "import" => await Transfer.ImportCommand.RunAsync(options, command.Directory!, CancellationToken.None),
            "fill" => await FillCommand.RunAsync(options, command.Fill!, Console.Out, Console.Error, CancellationToken.None),
            "ldap" => await LdapCheckCommand.RunAsync(options, command.LdapUser!, command.PasswordStdin, Console.Out, Console.Error),
            _ => await ServeAsync(options, phases),
        };
    }

    private static async Task<int> ServeAsync(ServerOptions options, StartupPhases phases)
    {
        var app = await CreateAppAsync(options, phases: phases);
        await app.RunAsync();
        return 0;
    }

    /// <summary>Builds the server for <paramref name="options"/> (tests call this with a temp data dir and port 0).</summary>
    /// <param name="mirrorHttp">Upstream timeouts and retries; tests shorten them.</param>
    /// <param name="phases">Start-up timing, logged at Debug when listening; null times from here.</param>
    public static async Task<WebApplication> CreateAppAsync(ServerOptions options, PasswordHasher? hasher = null, MirrorHttpOptions? mirrorHttp = null, StartupPhases? phases = null)
    {
        phases ??= new StartupPhases();
        hasher ??= new PasswordHasher();
        Directory.CreateDirectory(options.DataDirectory);
        var known = new UsersAndIndexes();
        var storageLog = new StorageLog();
        // Storage opens on the second core while the host is composed (migrations; on a first start, root's deliberately
        // slow password hash). Nothing listens before it is done.
        phases.StartTrack(StartupPhases.StorageTrack);
        var storage = Task.Run(() => OpenStorageAsync(options, known, hasher, phases, storageLog));
        var builder = CreateHostBuilder(options);
        phases.Mark("host builder");
        AddServices(builder.Services, options, hasher, known, storage, mirrorHttp);
        var app = builder.Build();
        // The directory client now, not at the first log-in: libldap missing is a start-up error, not a 500.
        _ = app.Services.GetRequiredService<IDirectoryLogin>();
        phases.Mark("services and host build");
        var store = await StorageReadyAsync(app, storage, storageLog);
        phases.Mark("storage awaited and served tree checked");
        UseMiddleware(app);
        MapEndpoints(app);
        phases.Mark("endpoints mapped");
        OnStartAndStop(app, store, options, phases);
        return app;
    }

    /// <summary>Storage as serving needs it: the shared start-up, crash leftovers removed, users and indexes loaded.</summary>
    private static async Task<DataDirectoryStartup.Opened> OpenStorageAsync(
        ServerOptions options, UsersAndIndexes known, PasswordHasher hasher, StartupPhases phases, StorageLog log)
    {
        var opened = await DataDirectoryStartup.OpenAsync(options, hasher, setConfiguredRootPassword: false, phases, log.ServedTreeProblem)
            .ConfigureAwait(false);
        try
        {
            // Only here, never in layout apply: a running server's uploads write there. Unreferenced blobs are collected
            // once the server runs (BlobCollection), not on the way to listening.
            opened.Store.RemoveUnfinishedBlobs();
            phases.Mark("unfinished blobs removed", StartupPhases.StorageTrack);
            using (var reader = opened.Store.Read())
            {
                known.Refresh(reader);
            }
            phases.Mark("users and indexes loaded", StartupPhases.StorageTrack);
            return opened;
        }
        catch
        {
            opened.Store.Dispose();
            throw;
        }
    }

    private static WebApplicationBuilder CreateHostBuilder(ServerOptions options)
    {
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
        ServerLogging.Configure(builder.Logging, options);
        builder.Host.UseSystemd();
        return builder;
    }

    private static void AddServices(IServiceCollection services, ServerOptions options, PasswordHasher hasher, UsersAndIndexes known,
        Task<DataDirectoryStartup.Opened> storage, MirrorHttpOptions? mirrorHttp)
    {
        services.AddSingleton(options);
        // Resolved only once the storage task is awaited, after Build and before anything is served.
        services.AddSingleton(_ => storage.Result.Store);
        services.AddHostedService<BlobCollection>(); // once the server runs: start-up does not walk every blob
        services.AddHostedService<CommitListener>(); // on a database other nodes share: their commits, announced
        services.AddSingleton(hasher);
        services.AddSingleton(known);
        var secret = TokenService.LoadOrCreateSecret(options.DataDirectory);
        services.AddSingleton(new TokenService(secret, TimeSpan.FromSeconds(options.TokenLifetimeSeconds), TimeProvider.System));
        services.AddSingleton<IDirectoryLogin>(provider => options.Ldap is { } ldap
            ? new CachedDirectoryLogin(new LdapDirectory(ldap, provider.GetRequiredService<ILogger<LdapDirectory>>()), ldap, TimeProvider.System)
            : new NoDirectory());
        services.AddSingleton<Authenticator>();
        services.AddSingleton(new LoginThrottle(TimeProvider.System));
        services.AddSingleton<ClientAddress>();
        services.AddSingleton<RefusalLog>();
        services.AddSingleton<PasswordRehash>();
        // Application services: what the endpoints (and import, LDAP, a web UI) call.
        services.AddSingleton<UserService>();
        services.AddSingleton<IndexService>();
        services.AddSingleton<ReleaseService>();
        services.AddSingleton<ProjectViews>();
        services.AddSingleton<ReleaseYanking>();
        services.AddSingleton<UploadService>();
        services.AddSingleton<ToxResultUpload>();
        services.AddSingleton<PushService>();
        services.AddSingleton<Application.Fill.FillService>();
        services.AddSingleton<Application.Fill.FillPrefetch>();
        services.AddSingleton<Application.Prefetch.PrefetchService>();
        services.AddSingleton<Metrics.PrefetchMetrics>();
        services.AddHostedService<PrefetchScheduler>();
        services.AddSingleton<MirrorFileService>();
        services.AddSingleton<MirrorFileCommits>();
        // HTTP: middleware, views and the simple pages.
        services.AddSingleton<OutsideUrl>();
        services.AddSingleton<DevpiHeaders>();
        services.AddSingleton<UnhandledErrors>();
        services.AddSingleton<NodeLease>();
        services.AddSingleton<OtherProcessChanges>();
        services.AddSingleton<RenderedPageCache>();
        services.AddSingleton<IndexViews>();
        services.AddSingleton<SimplePages>();
        services.AddSingleton<FindLinksPage>();
        // The web interface's session (log-in, CSRF) and documentation.
        services.AddSingleton(new WebKeys(secret));
        services.AddSingleton<RequestTls>();
        services.AddSingleton<CsrfTokens>();
        services.AddSingleton<WebSessions>();
        services.AddSingleton<DocumentationLookup>();
        services.AddJsonViewCompression();
        services.AddWebPages();
        services.AddMirrorUpstream((mirrorHttp ?? new MirrorHttpOptions()) with { Proxy = options.MirrorProxy }, Path.Combine(options.DataDirectory, "mirror-pages"));
        // Metrics: /+metrics, the request middleware, the upstream handler and storage's measurements.
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<RequestMetrics>();
        services.AddSingleton<MetricsEndpoint>();
        services.AddSingleton<MetricsCollection>();
        services.AddSingleton<StorageMetricsListener>();
        services.AddTransient<UpstreamMetricsHandler>();
        services.AddHttpClient<UpstreamSimpleClient>().AddHttpMessageHandler<UpstreamMetricsHandler>();
    }

    /// <summary>Waits for storage, logs what start-up did to root, and brings the served tree in step before serving.</summary>
    private static async Task<PackageStore> StorageReadyAsync(WebApplication app, Task<DataDirectoryStartup.Opened> storage, StorageLog log)
    {
        log.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Wheelhouse.Storage");
        var (store, rootMessage) = await storage;
        if (rootMessage is not null)
        {
            app.Logger.LogInformation("{Message}", rootMessage);
        }
        // nginx serves release files from this tree, so it must match the database first.
        if (store.ReconcileServedTree() is var (report, took))
        {
            foreach (var problem in report.Problems)
            {
                log.ServedTreeProblem(problem);
            }
            log.Logger.LogInformation("served tree reconciled with the database at serial {Serial} in {Milliseconds:F0} ms ({Scope}): {Expected} names, {Linked} linked, {Removed} removed",
                store.Serial, took.TotalMilliseconds, report.FromJournal ? "the names of unfinished commits" : "the whole tree",
                report.Expected, report.Linked, report.Removed);
        }
        return store;
    }

    private static void UseMiddleware(WebApplication app)
    {
        var requestMetrics = app.Services.GetRequiredService<RequestMetrics>();
        app.Use((context, next) => requestMetrics.InvokeAsync(context, next)); // first: its time includes every middleware
        var otherProcesses = app.Services.GetRequiredService<OtherProcessChanges>();
        app.Use((context, next) => otherProcesses.InvokeAsync(context, next)); // a layout applied beside it is seen at once
        var headers = app.Services.GetRequiredService<DevpiHeaders>();
        var errors = app.Services.GetRequiredService<UnhandledErrors>();
        app.Use((context, next) => headers.InvokeAsync(context, next));
        app.Use((context, next) => errors.InvokeAsync(context, next));
        app.UseResponseCompression();
        app.UseHeadAsGet();
        // After routing, where the route is known.
        var metricsAccess = app.Services.GetRequiredService<MetricsEndpoint>();
        app.Use((context, next) => metricsAccess.InvokeAsync(context, next));
        app.Use((context, next) => requestMetrics.CountBytesAsync(context, next));
        WebPageDispatch.Use(app); // browsers asking for text/html get pages; API clients go on to the endpoints
    }

    private static void MapEndpoints(WebApplication app)
    {
        StatusEndpoints.Map(app);
        LoginEndpoint.Map(app);
        UserEndpoints.Map(app);
        IndexEndpoints.Map(app);
        SimpleEndpoints.Map(app);
        FindLinksEndpoint.Map(app);
        FileEndpoints.Map(app);
        ProjectEndpoints.Map(app);
        UploadEndpoint.Map(app);
        PushEndpoint.Map(app);
        FillEndpoint.Map(app);
        PrefetchEndpoint.Map(app);
        MetricsEndpoint.Map(app);
        LoginPages.Map(app);
        DeleteReleasePages.Map(app);
        YankReleasePages.Map(app);
        DocumentationPages.Map(app);
        WebEndpoints.Map(app);
    }

    private static void OnStartAndStop(WebApplication app, PackageStore store, ServerOptions options, StartupPhases phases)
    {
        app.Services.GetRequiredService<MetricsCollection>().Start();
        var storageMetrics = app.Services.GetRequiredService<StorageMetricsListener>();
        app.Lifetime.ApplicationStopped.Register(storageMetrics.Dispose);
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
    }

    /// <summary>The storage logger, once the host exists: storage opens before it, and reports served-tree problems through it.</summary>
    private sealed class StorageLog
    {
        public ILogger? Logger { get; set; }

        public void ServedTreeProblem(string problem) =>
            Logger?.LogWarning("served tree: {Problem}; the server serves this file itself", problem);
    }
}

// The host glue, in one file on purpose: Cake.Frosting is not served by our package registry,
// so this stands in for the part of it the build uses (CakeHost, FrostingContext, FrostingTask,
// the task attributes) on top of the real Cake engine from cake.tool. Moving to Cake.Frosting is
// deleting this file and adding the package; the tasks and Program.cs stay as they are.
using System.Reflection;
using Cake.Core;
using Cake.Core.Configuration;
using Cake.Core.Diagnostics;
using Cake.Core.IO;
using Cake.Core.Packaging;
using Cake.Core.Tooling;

namespace Cake.Frosting;

[AttributeUsage(AttributeTargets.Class)]
public sealed class TaskNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

[AttributeUsage(AttributeTargets.Class)]
public sealed class TaskDescriptionAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class IsDependentOnAttribute(Type task) : Attribute
{
    public Type Task { get; } = task;
}

public abstract class FrostingContext(ICakeContext context) : CakeContextAdapter(context);

public abstract class FrostingTask<TContext> where TContext : ICakeContext
{
    public virtual void Run(TContext context) { }
    public virtual bool ShouldRun(TContext context) => true;
}

public abstract class AsyncFrostingTask<TContext> where TContext : ICakeContext
{
    public virtual Task RunAsync(TContext context) => Task.CompletedTask;
    public virtual bool ShouldRun(TContext context) => true;
}

/// <summary>Runs around the whole run, as Frosting's lifetime does: a Teardown that throws fails a run whose tasks passed.</summary>
public abstract class FrostingLifetime<TContext> where TContext : ICakeContext
{
    public abstract void Setup(TContext context, ISetupContext info);
    public abstract void Teardown(TContext context, ITeardownContext info);
}

/// <summary>An option the build accepts; Frosting has no such list, so the host validates against this one.</summary>
public sealed record HostOption(string Name, string Help, bool IsFlag = false);

public sealed class CakeHost
{
    private Func<ICakeContext, ICakeContext>? _createContext;
    private Type? _contextType;
    private Type? _lifetimeType;
    private IReadOnlyList<HostOption> _options = [];

    public CakeHost UseOptions(IEnumerable<HostOption> options)
    {
        _options = [.. options,
            new HostOption("target", "the target to run (or give it as the first word)"),
            new HostOption("verbosity", "quiet, minimal, normal, verbose or diagnostic"),
            new HostOption("help", "this text", IsFlag: true)];
        return this;
    }

    public CakeHost UseContext<TContext>() where TContext : ICakeContext
    {
        _contextType = typeof(TContext);
        _createContext = inner => (ICakeContext)Activator.CreateInstance(typeof(TContext), inner)!;
        return this;
    }

    public CakeHost UseLifetime<TLifetime>() where TLifetime : new()
    {
        _lifetimeType = typeof(TLifetime);
        return this;
    }

    public int Run(IEnumerable<string> args)
    {
        if (_contextType is null || _createContext is null)
        {
            throw new InvalidOperationException("call UseContext<T>() before Run()");
        }

        var parsed = CommandLine.Parse(args.ToList(), _options);
        var console = new CakeConsole(new CakeEnvironment(new CakePlatform(), new CakeRuntime()));
        if (parsed.Error is not null)
        {
            console.WriteErrorLine($"error: {parsed.Error}\nRun './build.sh --help' for the targets and options.");
            return 2;
        }

        var tasks = TaskCatalog.Discover(_contextType);
        if (parsed.Help)
        {
            console.WriteLine(TaskCatalog.Help(tasks, _options));
            return 0;
        }

        var target = parsed.Target ?? "default";
        if (!tasks.Any(t => t.Name == target))
        {
            console.WriteErrorLine($"error: unknown target '{target}'. Targets: {string.Join(", ", tasks.Select(t => t.Name))}.");
            return 2;
        }

        var log = new CakeBuildLog(console, parsed.Verbosity);
        ICakeContext? context = null;
        try
        {
            context = _createContext(CreateCakeContext(log, parsed.Arguments));
            var engine = new CakeEngine(new CakeDataService(), log);
            foreach (var task in tasks)
            {
                task.Register(engine, context);
            }

            if (_lifetimeType is not null)
            {
                var created = context;
                var lifetime = Activator.CreateInstance(_lifetimeType)!;
                var (setup, teardown) = (_lifetimeType.GetMethod("Setup")!, _lifetimeType.GetMethod("Teardown")!);
                engine.RegisterSetupAction(info => TaskRunner.Invoke(setup, lifetime, created, info));
                engine.RegisterTeardownAction(info => TaskRunner.Invoke(teardown, lifetime, created, info));
            }

            var strategy = new DefaultExecutionStrategy(log, new CakeReportPrinter(console, context));
            var report = engine.RunTargetAsync(context, strategy, new ExecutionSettings().SetTarget(target))
                .GetAwaiter().GetResult();
            new CakeReportPrinter(console, context).Write(report);
            return 0;
        }
        catch (Exception ex)
        {
            // A task failure or an invalid option: say what went wrong without a stack trace
            // unless the user asked for diagnostic output.
            var root = ex;
            while (root is TargetInvocationException or AggregateException && root.InnerException is not null)
            {
                root = root.InnerException;
            }

            console.WriteErrorLine(parsed.Verbosity >= Verbosity.Diagnostic ? $"error: {root}" : $"error: {root.Message}");
            return 1;
        }
        finally
        {
            // The context may hold the artifacts lock (BuildContext.LockArtifacts) until the run ends.
            (context as IDisposable)?.Dispose();
        }
    }

    private static CakeContext CreateCakeContext(ICakeLog log, ILookup<string, string> arguments)
    {
        var environment = new CakeEnvironment(new CakePlatform(), new CakeRuntime());
        var fileSystem = new FileSystem();
        var globber = new Globber(fileSystem, environment);
        var configuration = new CakeConfiguration(new Dictionary<string, string>());
        var tools = new ToolLocator(environment, new ToolRepository(environment),
            new ToolResolutionStrategy(fileSystem, environment, globber, configuration, log));
        return new CakeContext(fileSystem, environment, globber, log, new CakeArguments(arguments),
            new ProcessRunner(fileSystem, environment, log, tools, configuration), new WindowsRegistry(), tools,
            new CakeDataService(), configuration, new NoToolInstaller(), new EmptyServiceProvider());
    }

    private sealed class NoToolInstaller : IToolInstaller
    {
        public IEnumerable<FilePath> Install(PackageReference tool) =>
            throw new NotSupportedException($"this build does not install tools; install {tool.Package} with dotnet or apt");
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private sealed record TaskInfo(string Name, string Description, Type Type, IReadOnlyList<string> Dependencies)
    {
        public void Register(CakeEngine engine, ICakeContext context)
        {
            var builder = engine.RegisterTask(Name).Description(Description);
            foreach (var dependency in Dependencies)
            {
                builder.IsDependentOn(dependency);
            }

            var instance = Activator.CreateInstance(Type)!;
            var runner = TaskRunner.For(instance);
            builder.WithCriteria(_ => runner.ShouldRun(context)).Does(() => runner.RunAsync(context));
        }
    }

    private sealed record TaskRunner(Func<ICakeContext, bool> ShouldRun, Func<ICakeContext, Task> RunAsync)
    {
        public static TaskRunner For(object task)
        {
            var type = task.GetType();
            var run = type.GetMethod("Run") ?? type.GetMethod("RunAsync")
                ?? throw new InvalidOperationException($"{type.Name} has no Run or RunAsync");
            var shouldRun = type.GetMethod("ShouldRun")!;
            return new TaskRunner(
                c => (bool)Invoke(shouldRun, task, c)!,
                c => Invoke(run, task, c) as Task ?? Task.CompletedTask);
        }

        // Reflection wraps what a task throws; rethrow the task's own exception so its message reaches the user.
        public static object? Invoke(MethodInfo method, object task, params object[] arguments)
        {
            try
            { return method.Invoke(task, arguments); }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }

    private static class TaskCatalog
    {
        public static List<TaskInfo> Discover(Type contextType)
        {
            bool IsTask(Type t) => !t.IsAbstract && t.BaseType is { IsGenericType: true } b
                && (b.GetGenericTypeDefinition() == typeof(FrostingTask<>) || b.GetGenericTypeDefinition() == typeof(AsyncFrostingTask<>))
                && b.GenericTypeArguments[0] == contextType;
            string NameOf(Type t) => t.GetCustomAttribute<TaskNameAttribute>()?.Name
                ?? throw new InvalidOperationException($"{t.Name} has no [TaskName]");
            return contextType.Assembly.GetTypes().Where(IsTask)
                .Select(t => new TaskInfo(NameOf(t), t.GetCustomAttribute<TaskDescriptionAttribute>()?.Description ?? "",
                    t, t.GetCustomAttributes<IsDependentOnAttribute>().Select(d => NameOf(d.Task)).ToList()))
                .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        }

        public static string Help(IReadOnlyList<TaskInfo> tasks, IReadOnlyList<HostOption> options)
        {
            var width = Math.Max(tasks.Max(t => t.Name.Length), options.Max(o => o.Name.Length + 2)) + 2;
            var lines = tasks.Select(t => "  " + t.Name.PadRight(width) + t.Description
                + (t.Dependencies.Count > 0 ? $" (after {string.Join(", ", t.Dependencies)})" : ""));
            return "Usage: ./build.sh [TARGET] [--option value ...]\n\nTargets:\n" + string.Join('\n', lines)
                + "\n\nOptions:\n" + string.Join('\n', options.Select(o => "  " + ("--" + o.Name).PadRight(width) + o.Help));
        }
    }

    private sealed record CommandLine(string? Target, ILookup<string, string> Arguments, bool Help, Verbosity Verbosity, string? Error)
    {
        public static CommandLine Parse(List<string> args, IReadOnlyList<HostOption> options)
        {
            string? target = null;
            var pairs = new List<KeyValuePair<string, string>>();
            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (!arg.StartsWith('-'))
                {
                    if (target is not null)
                    {
                        return Fail($"more than one target given ('{target}' and '{arg}')");
                    }

                    target = arg;
                    continue;
                }
                var body = arg.TrimStart('-');
                var eq = body.IndexOf('=');
                var (name, value) = eq >= 0 ? (body[..eq], body[(eq + 1)..])
                    : i + 1 < args.Count && !args[i + 1].StartsWith('-') && !options.Any(o => o.IsFlag && o.Name.Equals(body, StringComparison.OrdinalIgnoreCase)) ? (body, args[++i])
                    : (body, "true");
                pairs.Add(new(name.ToLowerInvariant(), value));
            }
            var lookup = pairs.ToLookup(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
            if (lookup["target"].LastOrDefault() is { } t)
            {
                target = t;
            }

            var help = lookup.Contains("help") || lookup.Contains("h");
            var verbosity = Verbosity.Normal;
            if (lookup["verbosity"].LastOrDefault() is { } v && !Enum.TryParse(v, true, out verbosity))
            {
                return Fail($"--verbosity '{v}' is not one of quiet, minimal, normal, verbose, diagnostic");
            }

            var unknown = lookup.Select(g => g.Key).Where(k => !options.Any(o => o.Name.Equals(k, StringComparison.OrdinalIgnoreCase)) && k != "h").ToList();
            if (unknown.Count > 0)
            {
                return Fail($"unknown option{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "--" + u))}");
            }

            return new CommandLine(target, lookup, help, verbosity, null);
        }

        private static CommandLine Fail(string error) =>
            new(null, Array.Empty<string>().ToLookup(x => x), false, Verbosity.Normal, error);
    }
}

using System.Text.Json;

namespace Wheelhouse.Server.Application.Releases;

/// <summary>
/// What a tox JSON report (<c>tox --result-json</c>, tox 3 and 4, as <c>devpi test</c> posts it) says, read as devpi
/// reads it: per environment, its Python and whether every set-up and test command returned 0. Anything the report
/// leaves out or writes otherwise is shown as unknown; a report that is not JSON reads as null.
/// </summary>
public sealed record ToxReport(string Host, string Platform, IReadOnlyList<ToxReport.Environment> Environments)
{
    public enum Outcome
    {
        Passed,
        Failed,
        NotRun,
    }

    public sealed record Environment(string Name, string Python, Outcome Outcome);

    private static readonly string[] Phases = ["setup", "test"];

    public static ToxReport? Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var environments = new List<Environment>();
            if (root.TryGetProperty("testenvs", out var testenvs) && testenvs.ValueKind == JsonValueKind.Object)
            {
                foreach (var env in testenvs.EnumerateObject().OrderBy(e => e.Name, StringComparer.Ordinal))
                {
                    environments.Add(new Environment(env.Name, Python(env.Value), OutcomeOf(env.Value)));
                }
            }
            return new ToxReport(Text(root, "host"), Text(root, "platform"), environments);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Outcome OutcomeOf(JsonElement env)
    {
        var codes = Phases
            .SelectMany(phase => env.ValueKind == JsonValueKind.Object && env.TryGetProperty(phase, out var commands) && commands.ValueKind == JsonValueKind.Array
                ? commands.EnumerateArray()
                : [])
            .Select(command => command.ValueKind == JsonValueKind.Object && command.TryGetProperty("retcode", out var code) ? code : default)
            .ToList();
        var ran = env.ValueKind == JsonValueKind.Object && env.TryGetProperty("test", out var tests) && tests.ValueKind == JsonValueKind.Array && tests.GetArrayLength() > 0;
        // tox 3 writes the return code as a string, tox 4 as a number.
        return codes.Any(c => !(c.ValueKind == JsonValueKind.Number ? c.TryGetInt32(out var n) && n == 0 : c.ValueKind == JsonValueKind.String && c.GetString() == "0"))
            ? Outcome.Failed
            : ran ? Outcome.Passed : Outcome.NotRun;
    }

    /// <summary>The version number only: tox writes Python's whole <c>sys.version</c> ("3.11.2 (main, ...) [GCC ...]").</summary>
    private static string Python(JsonElement env) =>
        env.ValueKind == JsonValueKind.Object && env.TryGetProperty("python", out var python) ? Text(python, "version").Split(' ')[0] : "";

    private static string Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : "";
}

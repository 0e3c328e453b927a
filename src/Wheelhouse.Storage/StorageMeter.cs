using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Wheelhouse.Storage;

/// <summary>
/// Time spent in the metadata database, as .NET metrics (the server exports them as
/// <c>wheelhouse_storage_operation_seconds</c>). Every backend records its queries and statements here; the unit of
/// work and the store record commits and waits, so each is measured once whatever the backend.
/// </summary>
public static class StorageMeter
{
    public const string Name = "Wheelhouse.Storage";

    public const string OperationTag = "operation";

    public const string Query = "query";

    public const string Statement = "statement";

    public const string Commit = "commit";

    public const string Wait = "wait";

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("wheelhouse.storage.operation.duration", "s",
        "Time spent in the metadata database, by operation.");

    /// <summary>Records the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) as <paramref name="operation"/>.</summary>
    public static void Record(string operation, long startTimestamp)
    {
        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>(OperationTag, operation));
        }
    }
}

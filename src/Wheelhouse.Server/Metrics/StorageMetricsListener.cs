using System.Diagnostics.Metrics;
using Wheelhouse.Storage;

namespace Wheelhouse.Server.Metrics;

/// <summary>
/// Carries storage's own measurements (<see cref="StorageMeter"/>, plain System.Diagnostics.Metrics, so storage knows
/// nothing of Prometheus) into <see cref="ServerMetrics"/>. One listener per server; disposed with it.
/// </summary>
public sealed class StorageMetricsListener : IDisposable
{
    private readonly MeterListener _listener = new();

    public StorageMetricsListener(ServerMetrics metrics)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StorageMeter.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: StorageMeter.OperationTag, Value: string operation })
                {
                    metrics.Storage(operation, seconds);
                    return;
                }
            }
        });
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}

using System.Diagnostics;

namespace Wheelhouse.Server.Application;

/// <summary>
/// A service's part of the host's stop, in its (synchronous) Dispose: the container disposes it before the services
/// it uses, so it waits there, bounded, for its background work to end.
/// </summary>
public static class HostStop
{
    /// <summary>Returns once <paramref name="done"/> holds, or when <paramref name="most"/> has passed.</summary>
    public static void WaitFor(Func<bool> done, TimeSpan most)
    {
        var start = Stopwatch.GetTimestamp();
        while (!done() && Stopwatch.GetElapsedTime(start) < most)
        {
            Thread.Sleep(10);
        }
    }
}

namespace Wheelhouse.Storage;

/// <summary>
/// The commits made within one asynchronous flow, such as one HTTP request: whoever answers for the flow (the server's
/// request middleware) begins one with <see cref="Begin"/>, every <see cref="UnitOfWork.Commit"/> in that flow notes its
/// serial, and before the answer goes out the last one is known. So the step every acknowledged write needs after its
/// commit (on a shared database: waiting until the other nodes have taken it in) lives in one place, whatever service
/// or endpoint committed. A flow begun by nobody (a background job) notes nothing.
/// </summary>
public sealed class CommitsInFlow
{
    private static readonly AsyncLocal<CommitsInFlow?> Current = new();
    private long _lastSerial;

    private CommitsInFlow()
    {
    }

    /// <summary>The serial of the last commit made in this flow; 0 when none was.</summary>
    public long LastSerial => Volatile.Read(ref _lastSerial);

    /// <summary>Begins recording the commits of the current flow and of the flows it starts from now on.</summary>
    public static CommitsInFlow Begin()
    {
        var flow = new CommitsInFlow();
        Current.Value = flow;
        return flow;
    }

    /// <summary>Called by <see cref="UnitOfWork.Commit"/> once its rows are committed.</summary>
    internal static void Committed(long serial)
    {
        if (Current.Value is { } flow)
        {
            long seen;
            while ((seen = Volatile.Read(ref flow._lastSerial)) < serial && Interlocked.CompareExchange(ref flow._lastSerial, serial, seen) != seen)
            {
            }
        }
    }
}

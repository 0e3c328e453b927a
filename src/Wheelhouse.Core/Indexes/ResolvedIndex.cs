namespace Wheelhouse.Core.Indexes;

/// <summary>One index on a resolution order, with the config it had when the order was computed.</summary>
public sealed record ResolvedIndex(IndexPath Path, IndexConfig Config)
{
    public bool IsMirror => Config.IsMirror;
}

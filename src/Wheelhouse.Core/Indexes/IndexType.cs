namespace Wheelhouse.Core.Indexes;

/// <summary>devpi's index types: a <c>stage</c> holds uploads, a <c>mirror</c> proxies an external simple index.</summary>
public enum IndexType
{
    Stage,
    Mirror,
}

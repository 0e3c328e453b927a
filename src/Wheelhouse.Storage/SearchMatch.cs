namespace Wheelhouse.Storage;

/// <summary>How a <see cref="SearchHit"/> matched, best first: the order hits are returned in.</summary>
public enum SearchMatch
{
    /// <summary>The project's normalized name is the query.</summary>
    Exact,

    /// <summary>The project's normalized name starts with the query.</summary>
    Prefix,

    /// <summary>Every word of the query is in the project's name, summary, keywords or description.</summary>
    Text,
}

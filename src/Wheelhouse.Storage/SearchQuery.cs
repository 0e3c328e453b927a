namespace Wheelhouse.Storage;

/// <summary>
/// What <see cref="IMetadataReader.Search"/> looks for. The caller applies the domain's rules (name normalization,
/// splitting into words); a store only matches.
/// </summary>
/// <param name="Name">The query as a PEP 503 normalized project name ("" when it is not one): matches a project's
/// normalized name exactly (<see cref="SearchMatch.Exact"/>) or as its start (<see cref="SearchMatch.Prefix"/>).</param>
/// <param name="Words">Lower-case words of letters and digits; a project matches when every word occurs in its name,
/// summary, keywords or description (the last word also as the start of a longer word): <see cref="SearchMatch.Text"/>.</param>
/// <param name="Within">The indexes to search, as (user, index); null searches every index.</param>
/// <param name="Limit">At most this many hits in all.</param>
public sealed record SearchQuery(string Name, IReadOnlyList<string> Words, IReadOnlyList<(string User, string Index)>? Within, int Limit);

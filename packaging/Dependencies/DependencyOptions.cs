namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// Inputs to dependency detection besides the files: the Debian architecture the files must all be built for,
/// whether the app runs with InvariantGlobalization (then ICU is not needed), and extra relations from the package
/// manifest (e.g. "adduser" for the maintainer scripts), each "name", "name (>= v)" or "a | b".
/// </summary>
public sealed record DependencyOptions(string Architecture, bool InvariantGlobalization, IReadOnlyList<string>? Extra = null);

using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Versions;

/// <summary>
/// Wheelhouse's <c>refuse_prereleases</c> index option, checked on upload and on push into the index: PEP 440
/// pre-releases and dev releases are refused (the server answers 409 with <see cref="Check"/>'s message).
/// </summary>
public static class PreReleasePolicy
{
    /// <returns>Null when the version may enter the index, else the reason it may not.</returns>
    public static string? Check(IndexPath index, IndexConfig config, Pep440Version version)
    {
        if (!config.RefusePrereleases || !version.IsPreRelease)
        {
            return null;
        }
        var kind = version.IsDevRelease ? "a development release" : "a pre-release";
        return $"{version} is {kind} and index {index} has {IndexConfigKeys.RefusePrereleases}=true; "
            + "upload or push a final release, or use an index that accepts pre-releases";
    }
}

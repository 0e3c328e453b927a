using Wheelhouse.Server.Application.Indexes;
using Wheelhouse.Server.Web.Models;

namespace Wheelhouse.Server.Web;

/// <summary>The pages' URLs, absolute from the outside URL, every path segment escaped; they mirror devpi-web's.</summary>
public sealed record WebLinks(string Root)
{
    public string Home => Root + "/";

    public string User(string user) => $"{Root}/{E(user)}";

    public string Index(string user, string index) => $"{Root}/{E(user)}/{E(index)}";

    public string Project(string user, string index, string project) => $"{Index(user, index)}/{E(project)}";

    public string Version(string user, string index, string project, string version) => $"{Project(user, index, project)}/{E(version)}";

    /// <summary>Documentation uploaded with a release, as devpi-web serves it (Web/Docs).</summary>
    public string Docs(string user, string index, string project, string version) => Version(user, index, project, version) + "/+doc/";

    public string Search(string query, string? scope) =>
        $"{Root}/+search?q={Uri.EscapeDataString(query)}" + (scope is null ? "" : "&index=" + Uri.EscapeDataString(scope));

    public string File(string relative) => $"{Root}/{relative}";

    public IndexLink Link(IndexEntry index) => new(
        index.IndexPath.ToString(), Index(index.User, index.Name), index.IsMirror ? "mirror" : "stage",
        index.Config.Title ?? "", index.Config.Description ?? "", index.Volatile);

    private static string E(string segment) => Uri.EscapeDataString(segment);
}

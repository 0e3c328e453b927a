namespace Wheelhouse.Server.Web.Models;

/// <summary>The home page: every user with its indexes.</summary>
public sealed record HomePageModel(IReadOnlyList<HomePageModel.UserRow> Users, IReadOnlyList<string> UploadableIndexes)
{
    public sealed record UserRow(string Name, string Url, string Title, string Description, IReadOnlyList<IndexLink> Indexes);
}

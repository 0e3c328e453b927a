namespace Wheelhouse.Server.Web.Models;

/// <summary>Where a paged list is, with links to the neighbouring pages (null at either end).</summary>
public sealed record Pager(int Page, int Pages, int Total, string? PreviousUrl, string? NextUrl);

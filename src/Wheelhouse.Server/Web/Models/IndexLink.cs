namespace Wheelhouse.Server.Web.Models;

/// <summary>An index as pages link to it.</summary>
public sealed record IndexLink(string Path, string Url, string Type, string Title, string Description, bool Volatile);

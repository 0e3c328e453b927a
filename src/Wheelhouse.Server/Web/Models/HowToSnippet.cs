namespace Wheelhouse.Server.Web.Models;

/// <summary>One "how to use this index" block: the file or command it is for and its text, copied with one click.</summary>
public sealed record HowToSnippet(string Id, string Title, string Text);

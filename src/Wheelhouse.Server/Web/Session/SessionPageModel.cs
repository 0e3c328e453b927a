namespace Wheelhouse.Server.Web.Session;

/// <summary>A session page's content for the <c>session</c> template: markup <see cref="SessionPage"/> built from escaped parts.</summary>
public sealed record SessionPageModel(HtmlString Body);

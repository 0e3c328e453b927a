namespace Wheelhouse.Server.Web;

/// <summary>
/// Markup that is already safe (built by this code from escaped parts, or sanitized): the one kind of value a template
/// writes without escaping it (<see cref="HtmlTemplateContext"/>).
/// </summary>
public sealed record HtmlString(string Value)
{
    public static readonly HtmlString Empty = new("");

    public override string ToString() => Value;
}

namespace Wheelhouse.Server.Web.Models;

/// <summary>A page that ends with "How to use this index" (empty for mirrors, which take no uploads).</summary>
public interface IHowToPage
{
    IReadOnlyList<HowToSnippet> HowTo { get; }
}

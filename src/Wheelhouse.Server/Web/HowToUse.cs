using Wheelhouse.Server.Web.Models;

namespace Wheelhouse.Server.Web;

/// <summary>
/// The client set-up for one index, filled in with the URL the browser used (so it is right behind a proxy): pip,
/// uv, twine and devpi, as the seed's client how-to described them.
/// </summary>
public static class HowToUse
{
    /// <param name="root">The outside URL of the server, without a trailing slash.</param>
    /// <param name="index">The index path, <c>user/index</c>.</param>
    /// <param name="project">A project to show in install commands, or null for a placeholder.</param>
    public static IReadOnlyList<HowToSnippet> For(string root, string index, string? project = null)
    {
        var simple = $"{root}/{index}/+simple/";
        var host = Uri.TryCreate(root, UriKind.Absolute, out var uri) ? uri.Host : "localhost";
        var package = project ?? "PACKAGE";
        var name = index.Replace('/', '-');
        return
        [
            new("howto-pip-install", "pip install", $"pip install --index-url {simple} {package}"),
            new("howto-pip-conf", "pip.conf (~/.config/pip/pip.conf)", $"[global]\nindex-url = {simple}\n"
                + (uri?.Scheme == "http" ? $"trusted-host = {host}\n" : "")),
            new("howto-uv-toml", "uv.toml", $"[[index]]\nname = \"{name}\"\nurl = \"{simple}\"\ndefault = true\n"),
            new("howto-uv-pyproject", "pyproject.toml (uv)", $"[[tool.uv.index]]\nname = \"{name}\"\nurl = \"{simple}\"\ndefault = true\n"),
            new("howto-pypirc", ".pypirc", $"[distutils]\nindex-servers =\n    {name}\n\n[{name}]\nrepository = {root}/{index}/\nusername = YOUR-USER\n"),
            new("howto-twine", "twine upload", $"twine upload --repository {name} dist/*"),
            new("howto-devpi", "devpi", $"devpi use {root}/{index}\ndevpi login YOUR-USER\ndevpi upload"),
        ];
    }
}

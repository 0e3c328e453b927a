namespace Wheelhouse.Server.Http;

/// <summary>Who is asking: installers never get redirects; JSON clients get JSON views (spec "Conventions").</summary>
public static class ClientKind
{
    private static readonly string[] InstallerAgents = ["pip/", "setuptools/", "uv/", "pex/", "distribute/"];

    public static bool IsInstaller(HttpRequest request)
    {
        var agent = request.Headers.UserAgent.ToString();
        foreach (var marker in InstallerAgents)
        {
            if (agent.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>JSON views answer <c>Accept: application/json</c> or no Accept header at all.</summary>
    public static bool WantsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        return accept.Length == 0 || accept.Contains("application/json", StringComparison.OrdinalIgnoreCase)
            || accept.Trim() == "*/*";
    }
}

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>The server answers its health URL on its own port and through the nginx site; nginx's default site is untouched.</summary>
public sealed class HealthAnswersDirectlyAndThroughNginx : IProofStep
{
    public string Claim => "/+status answers directly and through nginx, and nginx's default site is left alone";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"GET {s.ServerUrl}/+status answers 200 with a devpi status document");
        var direct = await context.WaitForHttpOkAsync($"{s.ServerUrl}/+status", TimeSpan.FromSeconds(30));
        ExpectStatusDocument(context, direct, "directly");

        context.Checking($"the site is enabled: {s.NginxSiteLink} -> ../sites-available/{Path.GetFileName(s.NginxSite)}");
        var link = await context.MustAsync($"{s.NginxSiteLink} is not a symlink", "readlink", s.NginxSiteLink);
        context.Expect(link.StandardOutput.Trim() == $"../sites-available/{Path.GetFileName(s.NginxSite)}", $"{s.NginxSiteLink} points to {link.StandardOutput.Trim()}");
        context.Checking("nginx -t accepts the configuration and nginx is active");
        await context.MustAsync("nginx -t rejects the configuration", "nginx", "-t");
        await context.MustAsync("nginx is not active", "systemctl", "is-active", "nginx.service");

        context.Checking($"GET {s.NginxUrl}/+status answers the same through nginx");
        var proxied = await context.WaitForHttpOkAsync($"{s.NginxUrl}/+status", TimeSpan.FromSeconds(10));
        ExpectStatusDocument(context, proxied, "through nginx");
        context.Expect(proxied.Header("Server")?.StartsWith("nginx", StringComparison.Ordinal) == true,
            $"the answer through nginx has Server: '{proxied.Header("Server")}'; is the request reaching the site?");

        await ExpectDefaultSiteAsync(context);
    }

    private static void ExpectStatusDocument(ProofContext context, HttpAnswer answer, string how)
    {
        context.Expect(answer.Status == 200, $"/+status {how} answered {answer.Status}: {answer.Body}");
        context.Expect(answer.Body.Contains("\"status\"", StringComparison.Ordinal), $"/+status {how} is not a status document: {answer.Body}");
        context.Expect(answer.Header("X-Devpi-Api-Version") == "2", $"/+status {how} lacks X-Devpi-Api-Version: 2 (devpi clients refuse it)");
    }

    /// <summary>Also used after remove and purge: nginx keeps serving its own default page whatever happens to our packages.</summary>
    public static async Task ExpectDefaultSiteAsync(ProofContext context)
    {
        context.Checking("nginx's default site is still enabled and answers http://127.0.0.1/ with its welcome page");
        await context.MustAsync("nginx's default site was disabled", "test", "-e", "/etc/nginx/sites-enabled/default");
        var answer = await context.HttpAsync("GET", "http://127.0.0.1/");
        context.Expect(answer.Status == 200 && answer.Body.Contains("Welcome to nginx", StringComparison.Ordinal),
            $"http://127.0.0.1/ answered {answer.Status} without nginx's welcome page");
    }
}

namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// The HTTP the server speaks for caches reaches clients through the nginx site unchanged: a simple page compressed
/// once (by the server, not again by nginx), its strong ETag and Cache-Control as the server sends them, and 304 for
/// a matching If-None-Match.
/// </summary>
public sealed class SimplePagesPassThroughNginx : IProofStep
{
    public string Claim => "simple pages come through nginx compressed once, with the server's ETag and Cache-Control, and revalidate with 304";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        var path = $"/{TwineUploadsAndPipInstallsThroughNginx.User}/{TwineUploadsAndPipInstallsThroughNginx.Index}/+simple/{TestWheel.Default.Project}/";
        string[] gzip = ["--header", "Accept-Encoding: gzip", "--compressed"];

        context.Checking($"GET {s.NginxUrl}{path} with Accept-Encoding: gzip is gzip-compressed once and decodes to the plain page");
        var plain = await context.HttpAsync("GET", $"{s.NginxUrl}{path}");
        var proxied = await context.HttpAsync("GET", $"{s.NginxUrl}{path}", gzip);
        context.Expect(proxied.Status == 200 && proxied.Header("Content-Encoding") == "gzip",
            $"the page through nginx answered {proxied.Status} with Content-Encoding '{proxied.Header("Content-Encoding")}', expected gzip once");
        context.Expect(proxied.Body == plain.Body, "the gzip page through nginx does not decode to the plain page");

        context.Checking("its ETag and Cache-Control are the server's own (nginx neither weakens nor drops them)");
        var direct = await context.HttpAsync("GET", $"{s.ServerUrl}{path}", gzip);
        var etag = proxied.Header("ETag");
        context.Expect(etag is not null && !etag.StartsWith("W/", StringComparison.Ordinal) && etag == direct.Header("ETag"),
            $"ETag through nginx '{etag}', from the server '{direct.Header("ETag")}'");
        context.Expect(proxied.Header("Cache-Control") == direct.Header("Cache-Control") && proxied.Header("Cache-Control")?.Contains("max-age=", StringComparison.Ordinal) == true,
            $"Cache-Control through nginx '{proxied.Header("Cache-Control")}', from the server '{direct.Header("Cache-Control")}'");

        context.Checking("If-None-Match with that ETag is answered 304 through nginx");
        var revalidated = await context.HttpAsync("GET", $"{s.NginxUrl}{path}", [.. gzip, "--header", $"If-None-Match: {etag}"]);
        context.Expect(revalidated.Status == 304, $"If-None-Match: {etag} through nginx answered {revalidated.Status}");
    }
}

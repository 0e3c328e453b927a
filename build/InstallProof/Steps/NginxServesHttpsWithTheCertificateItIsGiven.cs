namespace Wheelhouse.Build.InstallProof.Steps;

/// <summary>
/// The site's TLS: it starts with Debian's snake-oil pair, takes the company certificate once its two settings name it,
/// redirects HTTP to HTTPS, sends HSTS and speaks only Mozilla's "intermediate" protocols and ciphers.
/// </summary>
public sealed class NginxServesHttpsWithTheCertificateItIsGiven : IProofStep
{
    public string Claim => "the site answers over HTTPS (snake-oil first, then the certificate its two settings name), redirects HTTP and sends HSTS";

    public async Task RunAsync(ProofContext context)
    {
        var s = context.Settings;
        context.Checking($"a first start answers {s.NginxUrl}/+status with the snake-oil pair (not trusted, so curl --insecure)");
        await context.MustShAsync("the site does not name the snake-oil pair",
            $"grep -q 'ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;' {s.NginxSite} && grep -q 'ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;' {s.NginxSite}");
        await context.WaitForHttpOkAsync($"{s.ServerUrl}/+status", TimeSpan.FromSeconds(30));
        var snakeOil = await context.WaitForHttpOkAsync($"{s.NginxUrl}/+status", TimeSpan.FromSeconds(10), ["--insecure"]);
        context.Expect(snakeOil.Status == 200, $"{s.NginxUrl}/+status with the snake-oil pair answered {snakeOil.Status}: {snakeOil.Body}");

        context.Checking("ops point ssl_certificate and ssl_certificate_key at a certificate from their CA, which the machine trusts");
        await context.MustShAsync("cannot make the proof's certificates", ProofCertificates.MakeScript);
        await context.MustShAsync("cannot trust the proof's CA", $"install -D -m 0644 {ProofCertificates.CaFile} {ProofCertificates.TrustedCaFile} && update-ca-certificates >/dev/null");
        await context.MustShAsync("cannot point the site at the certificate",
            $"sed -i 's|^\\( *ssl_certificate\\) .*;|\\1 {ProofCertificates.Certificate};|; s|^\\( *ssl_certificate_key\\) .*;|\\1 {ProofCertificates.Key};|' {s.NginxSite}"
            + " && nginx -t -q && systemctl reload nginx.service");
        // A reload takes effect a moment after systemctl returns.
        var trusted = await context.WaitForHttpOkAsync($"{s.NginxUrl}/+status", TimeSpan.FromSeconds(10));
        context.Expect(trusted.Status == 200, $"{s.NginxUrl}/+status with the company certificate answered {trusted.Status} (is it trusted?): {trusted.Body}");
        context.Expect(trusted.Header("Strict-Transport-Security") == "max-age=63072000",
            $"HTTPS answers carry Strict-Transport-Security '{trusted.Header("Strict-Transport-Security")}', expected max-age=63072000");

        context.Checking($"{s.NginxHttpUrl}/ redirects to HTTPS with 308 (an upload keeps its method and body)");
        var plain = await context.HttpAsync("GET", $"{s.NginxHttpUrl}/+status?x=1");
        context.Expect(plain.Status == 308 && plain.Header("Location") == "https://localhost:443/+status?x=1",
            $"http:// answered {plain.Status} with Location '{plain.Header("Location")}', expected 308 to https://localhost:443/+status?x=1");

        context.Checking("TLS 1.3 and TLS 1.2 with an ECDHE AEAD cipher are accepted; a TLS 1.2 cipher without forward secrecy is refused");
        await context.MustAsync("TLS 1.3 was refused", "curl", "--silent", "--fail", "--output", "/dev/null", "--tlsv1.3", $"{s.NginxUrl}/+status");
        await context.MustAsync("TLS 1.2 with ECDHE-RSA-AES128-GCM-SHA256 was refused", "curl", "--silent", "--fail", "--output", "/dev/null",
            "--tlsv1.2", "--tls-max", "1.2", "--ciphers", "ECDHE-RSA-AES128-GCM-SHA256", $"{s.NginxUrl}/+status");
        var weak = await context.Container.ExecAsync(["curl", "--silent", "--output", "/dev/null", "--tlsv1.2", "--tls-max", "1.2", "--ciphers", "AES128-SHA256", $"{s.NginxUrl}/+status"]);
        context.Expect(weak.ExitCode == 35, $"TLS 1.2 with AES128-SHA256 (no forward secrecy) should fail the handshake (curl exit 35), curl exited {weak.ExitCode}");
        await context.MustShAsync("nginx's configuration does not limit ssl_protocols to TLSv1.2 TLSv1.3", "nginx -T 2>/dev/null | grep -q 'ssl_protocols TLSv1.2 TLSv1.3;'");
    }
}

namespace Wheelhouse.Build.InstallProof;

/// <summary>
/// A company CA and a certificate for localhost signed by it, made in the container with openssl, as ops would get
/// them from their own CA: what the site's two TLS settings are pointed at and what clients are made to trust.
/// </summary>
public static class ProofCertificates
{
    public const string CaFile = "/root/proof/tls/proof-ca.pem";
    public const string Certificate = "/etc/ssl/certs/wheelhouse-proof.pem";
    public const string Key = "/etc/ssl/private/wheelhouse-proof.key";

    /// <summary>Where the proof trusts its CA the way an admin does (update-ca-certificates), for every step after the TLS one.</summary>
    public const string TrustedCaFile = "/usr/local/share/ca-certificates/wheelhouse-proof-ca.crt";

    public const string MakeScript = $"""
        mkdir -p /root/proof/tls && cd /root/proof/tls
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj '/CN=Wheelhouse install proof CA' -keyout ca.key -out {CaFile} \
            -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
        openssl req -newkey rsa:2048 -nodes -subj '/CN=localhost' -keyout server.key -out server.csr 2>/dev/null
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n' > server.ext
        openssl x509 -req -in server.csr -CA {CaFile} -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.pem 2>/dev/null
        install -m 0644 server.pem {Certificate}
        install -m 0600 server.key {Key}
        """;
}

namespace Wheelhouse.Packaging.Apt;

/// <summary>
/// Finds the key that signs the repository. <c>--signing-key</c> (or WHEELHOUSE_SIGNING_KEY) is either a key file,
/// imported into a private GNUPGHOME under artifacts/, or a fingerprint / key id in GNUPGHOME (default ~/.gnupg).
/// With neither, a throwaway key is generated once under artifacts/ and kept for later builds; it is for testing only.
/// </summary>
public static class SigningKey
{
    public const string EnvironmentVariable = "WHEELHOUSE_SIGNING_KEY";

    public sealed record Resolved(GpgSigner Signer, bool IsThrowaway);

    public static async Task<Resolved> ResolveAsync(string? keySpec, string artifactsDirectory, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(keySpec))
        {
            return new Resolved(await ThrowawayAsync(Path.Combine(artifactsDirectory, "testing-signing-key"), cancellationToken), true);
        }

        if (File.Exists(keySpec))
        {
            var home = PrivateHome(Path.Combine(artifactsDirectory, "signing-gnupg"));
            var status = await Gpg.RunAsync(home, ["--status-fd", "1", "--import", Path.GetFullPath(keySpec)], cancellationToken);
            var secret = (status.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(p => p.Length >= 4 && p[1] == "IMPORT_OK" && (int.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture) & 16) != 0)
                ?? status.Split('\n').Select(l => l.Split(' ')).FirstOrDefault(p => p.Length >= 4 && p[1] == "IMPORT_OK")) ?? throw new InvalidOperationException($"signing key file {keySpec} holds no key gpg could import");
            var fingerprint = secret[3].Trim();
            await RequireSecretKeyAsync(home, fingerprint, $"key file {keySpec}", cancellationToken);
            return new Resolved(new GpgSigner(home, fingerprint), false);
        }

        var userHome = Environment.GetEnvironmentVariable("GNUPGHOME") is { Length: > 0 } gnupgHome
            ? gnupgHome
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gnupg");
        var resolved = await RequireSecretKeyAsync(userHome, keySpec.Trim(), $"'{keySpec}' (not a file, so taken as a key id in {userHome})", cancellationToken);
        return new Resolved(new GpgSigner(userHome, resolved), false);
    }

    private static async Task<GpgSigner> ThrowawayAsync(string directory, CancellationToken cancellationToken)
    {
        var home = PrivateHome(Path.Combine(directory, "gnupg"));
        var existing = await SecretFingerprintsAsync(home, null, cancellationToken);
        if (existing.Count > 0)
        {
            return new GpgSigner(home, existing[0]);
        }

        await Gpg.RunAsync(home, ["--quick-generate-key", "Wheelhouse TESTING ONLY archive key <testing-only@wheelhouse.invalid>", "ed25519", "sign", "never"], cancellationToken);
        var created = await SecretFingerprintsAsync(home, null, cancellationToken);
        return new GpgSigner(home, created.Single());
    }

    private static async Task<string> RequireSecretKeyAsync(string home, string keyId, string what, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> found;
        try
        {
            found = await SecretFingerprintsAsync(home, keyId, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException($"signing key {what}: no secret key found ({ex.Message.Split('\n').Last()})", ex);
        }
        return found.Count switch
        {
            1 => found[0],
            0 => throw new InvalidOperationException($"signing key {what}: no secret key found"),
            _ => throw new InvalidOperationException($"signing key {what} matches {found.Count} secret keys; give the full fingerprint"),
        };
    }

    private static async Task<IReadOnlyList<string>> SecretFingerprintsAsync(string home, string? keyId, CancellationToken cancellationToken)
    {
        string[] args = keyId is null ? ["--with-colons", "--list-secret-keys"] : ["--with-colons", "--list-secret-keys", keyId];
        string output;
        try
        {
            output = await Gpg.RunAsync(home, args, cancellationToken);
        }
        catch (InvalidOperationException) when (keyId is null)
        {
            return [];
        }
        // The fpr line right after each sec line is the primary key's fingerprint.
        var lines = output.Split('\n');
        var result = new List<string>();
        for (var i = 0; i < lines.Length - 1; i++)
        {
            if (lines[i].StartsWith("sec:", StringComparison.Ordinal) && lines[i + 1].StartsWith("fpr:", StringComparison.Ordinal))
            {
                result.Add(lines[i + 1].Split(':')[9]);
            }
        }

        return result;
    }

    private static string PrivateHome(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}

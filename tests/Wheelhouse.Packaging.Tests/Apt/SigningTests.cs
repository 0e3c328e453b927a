using Wheelhouse.Packaging.Apt;
using Wheelhouse.Packaging.Tests.Deb;
using Wheelhouse.Packaging.Tests.Manifests;

namespace Wheelhouse.Packaging.Tests.Apt;

/// <summary>Real gpg: a throwaway key signs InRelease and Release.gpg, and gpgv accepts them with the exported keyring.</summary>
[Integration]
public sealed class SigningTests : IDisposable
{
    private readonly TempDirectory _dir = new("wh-sign");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_throwaway_key_signs_the_release_and_the_exported_keyring_verifies_it()
    {
        var key = await SigningKey.ResolveAsync(null, _dir.Path);
        try
        {
            key.IsThrowaway.Should().BeTrue();
            var repository = new AptRepository(_dir.Combine("repo"));
            repository.AddToPool([TestDebs.Write(_dir.Path, "wh-signed", "1.0-1", "amd64")], _ => { });
            var release = await repository.PublishAsync(new AptRepositoryOptions("stable", ["amd64"], TestDebs.Timestamp), key.Signer);
            var keyring = _dir.Combine("repo", "wheelhouse-archive-keyring");
            await key.Signer.ExportPublicKeyAsync(keyring);
            var dist = Path.GetDirectoryName(release)!;

            var inRelease = await ProcessRunner.RunAsync("gpgv", ["--keyring", keyring + ".gpg", Path.Combine(dist, "InRelease")]);
            inRelease.ExitCode.Should().Be(0, inRelease.StandardError);
            var detached = await ProcessRunner.RunAsync("gpgv", ["--keyring", keyring + ".gpg", Path.Combine(dist, "Release.gpg"), release]);
            detached.ExitCode.Should().Be(0, detached.StandardError);
            File.ReadAllText(Path.Combine(dist, "Release.gpg")).Should().StartWith("-----BEGIN PGP SIGNATURE-----");
            File.ReadAllText(keyring + ".asc").Should().StartWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");

            File.AppendAllText(release, "tampered\n");
            (await ProcessRunner.RunAsync("gpgv", ["--keyring", keyring + ".gpg", Path.Combine(dist, "Release.gpg"), release])).ExitCode.Should().NotBe(0);
        }
        finally
        {
            await key.Signer.StopAgentAsync();
        }
    }

    [Fact]
    public async Task The_throwaway_key_is_made_once_and_reused()
    {
        var first = await SigningKey.ResolveAsync(null, _dir.Path);
        var second = await SigningKey.ResolveAsync("", _dir.Path);
        await first.Signer.StopAgentAsync();

        second.Signer.Fingerprint.Should().Be(first.Signer.Fingerprint);
    }

    [Fact]
    public async Task A_key_file_is_imported_into_a_private_home()
    {
        var source = await SigningKey.ResolveAsync(null, _dir.Combine("source"));
        var keyFile = _dir.Combine("secret.asc");
        await ProcessRunner.RunOkAsync("gpg", "--homedir", source.Signer.HomeDirectory, "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
            "--export-secret-keys", "--armor", "--output", keyFile, source.Signer.Fingerprint);
        await source.Signer.StopAgentAsync();

        var imported = await SigningKey.ResolveAsync(keyFile, _dir.Combine("artifacts"));
        await imported.Signer.StopAgentAsync();

        imported.IsThrowaway.Should().BeFalse();
        imported.Signer.Fingerprint.Should().Be(source.Signer.Fingerprint);
        imported.Signer.HomeDirectory.Should().StartWith(_dir.Combine("artifacts"));
    }

    [Fact]
    public async Task An_unknown_key_id_is_a_clear_error()
    {
        var home = _dir.Combine("empty-home");
        Directory.CreateDirectory(home);
        var previous = Environment.GetEnvironmentVariable("GNUPGHOME");
        Environment.SetEnvironmentVariable("GNUPGHOME", home);
        try
        {
            var act = () => SigningKey.ResolveAsync("0123456789ABCDEF0123456789ABCDEF01234567", _dir.Path);

            await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("*no secret key found*");
        }
        finally
        {
            Environment.SetEnvironmentVariable("GNUPGHOME", previous);
            await ProcessRunner.RunAsync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"]);
        }
    }
}

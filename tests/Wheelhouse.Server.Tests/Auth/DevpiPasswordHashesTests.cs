using Wheelhouse.Server.Auth;

namespace Wheelhouse.Server.Tests.Auth;

/// <summary>devpi's stored password hashes: argon2id as devpi 6 writes it (from the real export) and the older salted SHA-256.</summary>
public sealed class DevpiPasswordHashesTests
{
    // root's hash in tests/Fixtures/devpi-6.19.1-export (password rootpw), as devpi-server 6.19.1 stored it.
    private const string RootArgon2id = "$argon2id$v=19$m=102400,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw";

    [Fact]
    public void Devpi_6_argon2id_verifies_the_right_password_only()
    {
        var hasher = new PasswordHasher(iterations: 1000);
        hasher.Verify("root", "rootpw", RootArgon2id).Should().BeTrue();
        hasher.Verify("root", "rootpw ", RootArgon2id).Should().BeFalse();
        hasher.NeedsRehash(RootArgon2id).Should().BeTrue();
    }

    [Fact]
    public void Old_devpi_salted_sha256_verifies_the_right_password_only()
    {
        // hashlib.sha256(b'c2FsdHNhbHQ=' + 'pässword'.encode()).hexdigest(), as devpi before 4.2 stored pwsalt and pwhash.
        var stored = DevpiPasswordHashes.SaltedSha256("c2FsdHNhbHQ=", "2c3bf25d14d8e7152f51779357510adb7f68e6714acdf3c5a1099c7cc6e6bcd4");
        var hasher = new PasswordHasher(iterations: 1000);
        hasher.Verify("old", "pässword", stored).Should().BeTrue();
        hasher.Verify("old", "password", stored).Should().BeFalse();
        hasher.NeedsRehash(stored).Should().BeTrue();
    }

    [Theory]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw")]
    [InlineData("$argon2i$v=19$m=102400,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw")]
    [InlineData("$argon2id$v=16$m=102400,t=2,p=8$XKv1vpcSQmjtHQNA6N0b4w$PlFBZWHoyp0iClABjM3HTw")]
    [InlineData("devpi-salted-sha256$salt$nothex")]
    public void A_hash_we_cannot_or_should_not_verify_is_not_well_formed_and_never_verifies(string stored)
    {
        DevpiPasswordHashes.IsWellFormed(stored).Should().BeFalse();
        new PasswordHasher(iterations: 1000).Verify("u", "rootpw", stored).Should().BeFalse();
    }

    [Fact]
    public void Our_own_hash_needs_a_rehash_only_when_weaker_than_today()
    {
        var weak = new PasswordHasher(iterations: 1000).Hash("pw");
        new PasswordHasher(iterations: 1000).NeedsRehash(weak).Should().BeFalse();
        new PasswordHasher(iterations: 2000).NeedsRehash(weak).Should().BeTrue();
    }
}

using Wheelhouse.Server.Mirrors;

namespace Wheelhouse.Server.Tests.Mirrors;

public sealed class SimpleHashesTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void A_hash_is_taken_only_when_it_is_all_hex()
    {
        SimpleHashes.FromFragment($"#sha256={Hex}").Should().ContainKey("sha256").WhoseValue.Should().Be(Hex);
        SimpleHashes.FromFragment($"#sha256={Hex}\n").Should().BeEmpty("'$' would match before the final newline");
        var hashes = new Dictionary<string, string>();
        SimpleHashes.Add(hashes, "sha256", Hex + "\n");
        hashes.Should().BeEmpty();
    }
}

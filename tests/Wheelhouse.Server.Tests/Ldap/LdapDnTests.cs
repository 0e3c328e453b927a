using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Tests.Ldap;

/// <summary>A group's name from a <c>memberOf</c> DN, as Active Directory and OpenLDAP write them (RFC 4514).</summary>
public sealed class LdapDnTests
{
    [Theory]
    [InlineData("cn=developers,ou=groups,dc=example,dc=com", "developers")]
    [InlineData(@"CN=dev\,ops,OU=Groups,DC=corp", "dev,ops")]
    [InlineData(@"cn=a\+b+uid=x,ou=g", "a+b")]
    [InlineData(@"cn=caf\C3\A9,ou=g", "café")]
    [InlineData(@"cn=\E6\97\A5\E6\9C\AC team,ou=g", "日本 team")]
    [InlineData(@"cn=\41lpha\2C beta,ou=g", "Alpha, beta")]
    [InlineData("cn= padded ,ou=g", "padded")]
    [InlineData("cn=", "")]
    public void The_first_rdns_value_is_unescaped(string dn, string name) =>
        LdapDn.FirstRdnValue(dn).Should().Be(name);

    [Fact]
    public void A_string_without_an_equals_sign_names_no_group() =>
        LdapDn.FirstRdnValue("developers").Should().BeNull();
}

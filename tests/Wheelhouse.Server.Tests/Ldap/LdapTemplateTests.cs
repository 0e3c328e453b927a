using Wheelhouse.Server.Ldap;

namespace Wheelhouse.Server.Tests.Ldap;

public sealed class LdapTemplateTests
{
    [Theory]
    [InlineData("*)(uid=*))(|(uid=*", @"\2a\29\28uid=\2a\29\29\28|\28uid=\2a")]
    [InlineData(@"a\b", @"a\5cb")]
    [InlineData("nul\0", @"nul\00")]
    [InlineData("jürgen", @"j\c3\bcrgen")]
    [InlineData("plain.name-1", "plain.name-1")]
    public void Filter_values_are_escaped_as_rfc4515_says(string value, string escaped) =>
        LdapTemplate.Filter("(uid={username})", new Dictionary<string, string> { ["username"] = value }).Should().Be($"(uid={escaped})");

    [Theory]
    [InlineData("a,ou=admins", @"a\,ou\=admins")]
    [InlineData("#lead", @"\#lead")]
    [InlineData(" both ", @"\ both\ ")]
    [InlineData("x+y\"<>;\\", @"x\+y\""\<\>\;\\")]
    public void Dn_values_are_escaped_as_rfc4514_says(string value, string escaped) =>
        LdapTemplate.Dn("uid={username},dc=example", new Dictionary<string, string> { ["username"] = value }).Should().Be($"uid={escaped},dc=example");

    [Fact]
    public void Doubled_braces_are_literal_and_unbalanced_ones_are_refused()
    {
        LdapTemplate.Filter("(x={{{username}}})", new Dictionary<string, string> { ["username"] = "u" }).Should().Be("(x={u})");
        LdapTemplate.Placeholders("(uid={username}").Should().NotBeNull();
        LdapTemplate.Placeholders("(uid={username)").Should().BeNull();
        LdapTemplate.Placeholders("(uid=username})").Should().BeNull();
        LdapTemplate.Placeholders("(&(a={username})(b={userdn}))").Should().BeEquivalentTo(["username", "userdn"]);
    }
}

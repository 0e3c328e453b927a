using System.DirectoryServices.Protocols;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// A validated directory configuration: devpi-ldap's <c>devpi-ldap:</c> mapping plus Wheelhouse's own keys (see the
/// README's "Directory log-in" section). Built only by <see cref="LdapConfigReader"/>.
/// </summary>
public sealed record LdapSettings
{
    public const double DefaultTimeoutSeconds = 10;

    /// <summary>The file it was read from, for messages.</summary>
    public required string Source { get; init; }

    /// <summary><c>url</c> or <c>server_pool</c>, tried in order: a server that cannot be reached passes to the next.</summary>
    public required IReadOnlyList<LdapServer> Servers { get; init; }

    /// <summary><c>user_template</c>: the user's DN with <c>{username}</c> (escaped as an RFC 4514 attribute value).</summary>
    public string? UserTemplate { get; init; }

    /// <summary><c>user_search</c>: finds the user's DN instead of the template.</summary>
    public LdapSearch? UserSearch { get; init; }

    /// <summary><c>group_search</c>: the groups whose <c>attribute_name</c> values become the user's groups.</summary>
    public LdapSearch? GroupSearch { get; init; }

    /// <summary>Ours, <c>group_attribute</c>: the user entry's attribute listing its groups' DNs (<c>memberOf</c>).</summary>
    public string? GroupAttribute { get; init; }

    /// <summary>Ours, <c>nested_groups</c>: also the groups of the user's groups.</summary>
    public NestedGroups NestedGroups { get; init; }

    /// <summary>Ours, <c>nested_groups_depth</c>: how many levels a recursive search follows.</summary>
    public int NestedGroupsDepth { get; init; } = 5;

    /// <summary><c>referrals</c> (devpi-ldap's default: true; false for Active Directory).</summary>
    public bool Referrals { get; init; } = true;

    /// <summary><c>timeout</c>: the bound on each connect and operation; the whole log-in answers within a few of them.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(DefaultTimeoutSeconds);

    /// <summary>Ours, <c>cache_seconds</c>: how long a successful log-in and its groups are remembered (0: never).</summary>
    public TimeSpan CacheLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Ours, <c>cache_size</c>: at most this many users remembered.</summary>
    public int CacheSize { get; init; } = 10_000;
}

/// <summary>One directory server: its URL and how its connection is secured.</summary>
/// <param name="StartTls">Ours, <c>start_tls</c>: upgrade an <c>ldap://</c> connection before binding.</param>
/// <param name="CaFile">Ours <c>ca_file</c>, or devpi-ldap's <c>tls.ca_certs_file</c>: the CAs trusted (else the system's).</param>
public sealed record LdapServer(Uri Url, bool StartTls, string? CaFile)
{
    public bool Ldaps => Url.Scheme == "ldaps";

    public bool Encrypted => Ldaps || StartTls;

    public int Port => Url.IsDefaultPort || Url.Port < 0 ? (Ldaps ? 636 : 389) : Url.Port;
}

/// <summary><c>user_search</c> or <c>group_search</c>.</summary>
/// <param name="BindDn"><c>userdn</c>: the search account (else the search runs as the user, or anonymously).</param>
/// <param name="Password"><c>password</c>, or ours <c>password_file</c> read at start-up.</param>
public sealed record LdapSearch(string Base, string Filter, SearchScope Scope, string AttributeName, string? BindDn, string? Password);

/// <summary>How groups of groups are found.</summary>
public enum NestedGroups
{
    /// <summary>Direct memberships only (devpi-ldap's behaviour).</summary>
    None,

    /// <summary>Groups whose members include a found group, level by level, up to the configured depth.</summary>
    Recursive,

    /// <summary>Active Directory's LDAP_MATCHING_RULE_IN_CHAIN: the server resolves every level in one search.</summary>
    InChain,
}

using System.Diagnostics;
using System.DirectoryServices.Protocols;
using System.Net;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// devpi-ldap's log-in against the directory: find the user's DN (template or search), bind as the user, then read the
/// groups (group search, the user's <c>memberOf</c>-style attribute, and groups of groups when configured). One
/// connection per log-in; every operation bounded by <see cref="LdapSettings.Timeout"/>.
/// </summary>
public sealed class LdapDirectory(LdapSettings settings, ILogger<LdapDirectory> logger) : IDirectoryLogin, IDisposable
{
    private const string InChainRule = "1.2.840.113556.1.4.1941";
    private const int MaxGroups = 1000;
    private readonly LdapConnector _connector = new(settings);

    public bool Enabled => true;

    public LdapSettings Settings => settings;

    public DirectoryAnswer Authenticate(string user, string password) => Authenticate(user, password, null);

    public DirectoryAnswer Find(string user) => Find(user, null);

    /// <summary>The log-in, with each step and its time added to <paramref name="trace"/> (for <c>ldap check</c>).</summary>
    public DirectoryAnswer Authenticate(string user, string password, IList<DirectoryStep>? trace)
    {
        if (password.Length == 0 || user.Length == 0)
        {
            return DirectoryAnswer.Refused; // an empty password would be an anonymous bind, never a log-in
        }
        if (settings.UserTemplate is { } template)
        {
            // The DN is known: bind as the user straight away, one round trip fewer.
            var userDn = LdapTemplate.Dn(template, new Dictionary<string, string> { ["username"] = user });
            trace?.Add(new DirectoryStep("user DN from template", TimeSpan.Zero, userDn));
            return Run(new NetworkCredential(userDn, password), trace, connection => DirectoryAnswer.Accepted(userDn, Groups(connection, user, userDn, trace)), asUser: true);
        }
        return Run(SearchAccount(settings.UserSearch), trace, connection =>
        {
            var dn = UserDn(connection, user, trace);
            if (dn is null)
            {
                return DirectoryAnswer.Refused;
            }
            var clock = Stopwatch.StartNew();
            var bound = LdapConnector.Rebind(connection, new NetworkCredential(dn, password));
            trace?.Add(new DirectoryStep("bind as user", clock.Elapsed, bound ? dn : "refused"));
            if (!bound)
            {
                return DirectoryAnswer.Refused;
            }
            return DirectoryAnswer.Accepted(dn, Groups(connection, user, dn, trace));
        });
    }

    public DirectoryAnswer Find(string user, IList<DirectoryStep>? trace)
    {
        if (user.Length == 0)
        {
            return DirectoryAnswer.Refused;
        }
        return Run(SearchAccount(settings.UserSearch ?? settings.GroupSearch), trace, connection =>
        {
            var dn = UserDn(connection, user, trace);
            if (dn is not null && settings.UserTemplate is not null && !Exists(connection, dn, trace))
            {
                dn = null;
            }
            return dn is null ? DirectoryAnswer.Refused : DirectoryAnswer.Known(dn);
        });
    }

    /// <param name="asUser">The bind is the user's own: its refusal is a refused log-in, not a misconfigured search account.</param>
    private DirectoryAnswer Run(NetworkCredential? bindAs, IList<DirectoryStep>? trace, Func<LdapConnection, DirectoryAnswer> work, bool asUser = false)
    {
        var clock = Stopwatch.StartNew();
        LdapConnection? connection;
        try
        {
            connection = _connector.Connect(bindAs, out var server, out var unreachable);
            trace?.Add(new DirectoryStep("connect", clock.Elapsed, server is null ? unreachable
                : $"{server.Url}{(server.StartTls ? " (StartTLS)" : "")} as {bindAs?.UserName ?? "anonymous"}"));
            if (connection is null)
            {
                logger.LogWarning("LDAP: no server of {Source} answered: {Failures}", settings.Source, unreachable);
                return DirectoryAnswer.Unavailable("the user directory (LDAP) is unreachable; local users and issued tokens still work");
            }
        }
        catch (LdapException e) when (e.ErrorCode == LdapErrors.InvalidCredentials && asUser)
        {
            trace?.Add(new DirectoryStep("bind as user", clock.Elapsed, "refused"));
            return DirectoryAnswer.Refused;
        }
        catch (LdapException e) when (e.ErrorCode == LdapErrors.InvalidCredentials)
        {
            logger.LogError("LDAP: the search account {Account} of {Source} was refused by the directory", bindAs?.UserName, settings.Source);
            trace?.Add(new DirectoryStep("connect", clock.Elapsed, $"the search account {bindAs?.UserName} was refused"));
            return DirectoryAnswer.Unavailable("the user directory (LDAP) refused the server's search account; see the server log");
        }
        using (connection)
        {
            try
            {
                return work(connection);
            }
            catch (Exception e) when (e is LdapException or DirectoryOperationException)
            {
                logger.LogWarning("LDAP: {Failure}", LdapConnector.Describe(e));
                trace?.Add(new DirectoryStep("failed", clock.Elapsed, LdapConnector.Describe(e)));
                return DirectoryAnswer.Unavailable("the user directory (LDAP) did not answer in time or failed; see the server log");
            }
        }
    }

    private string? UserDn(LdapConnection connection, string user, IList<DirectoryStep>? trace)
    {
        var values = new Dictionary<string, string> { ["username"] = user };
        if (settings.UserTemplate is { } template)
        {
            var dn = LdapTemplate.Dn(template, values);
            trace?.Add(new DirectoryStep("user DN from template", TimeSpan.Zero, dn));
            return dn;
        }
        var search = settings.UserSearch!;
        var clock = Stopwatch.StartNew();
        var found = Search(connection, search, LdapTemplate.Filter(search.Filter, values)).ToList();
        var dns = found.SelectMany(e => Values(e, search.AttributeName)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        trace?.Add(new DirectoryStep("user search", clock.Elapsed, dns.Count switch { 0 => "no such user", 1 => dns[0], _ => $"{dns.Count} entries: refused" }));
        if (dns.Count > 1)
        {
            logger.LogError("LDAP: user search of {Source} found {Count} entries for one name; refusing the log-in", settings.Source, dns.Count);
        }
        return dns.Count == 1 ? dns[0] : null;
    }

    private List<string> Groups(LdapConnection connection, string user, string userDn, IList<DirectoryStep>? trace)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (settings.GroupSearch is { } search)
        {
            if (SearchAccount(search) is { } account && !LdapConnector.Rebind(connection, account))
            {
                throw new LdapException(LdapErrors.InvalidCredentials, $"the group search account {account.UserName} was refused");
            }
            var clock = Stopwatch.StartNew();
            var filter = settings.NestedGroups == NestedGroups.InChain
                ? $"(member:{InChainRule}:={LdapTemplate.EscapeFilterValue(userDn)})"
                : LdapTemplate.Filter(search.Filter, new Dictionary<string, string> { ["username"] = user, ["userdn"] = userDn });
            var level = Search(connection, search, filter).ToList();
            var seen = new HashSet<string>(level.Select(e => e.DistinguishedName), StringComparer.OrdinalIgnoreCase);
            names.UnionWith(level.SelectMany(e => Values(e, search.AttributeName)));
            for (var depth = 1; settings.NestedGroups == NestedGroups.Recursive && depth < settings.NestedGroupsDepth && level.Count > 0 && seen.Count < MaxGroups; depth++)
            {
                level = [.. level.SelectMany(group => Search(connection, search, LdapTemplate.Filter(search.Filter, new Dictionary<string, string>
                {
                    ["username"] = Values(group, search.AttributeName).FirstOrDefault() ?? "",
                    ["userdn"] = group.DistinguishedName,
                }))).Where(e => seen.Add(e.DistinguishedName))];
                names.UnionWith(level.SelectMany(e => Values(e, search.AttributeName)));
            }
            trace?.Add(new DirectoryStep("group search", clock.Elapsed, string.Join(", ", names.Order(StringComparer.Ordinal))));
        }
        if (settings.GroupAttribute is { } attribute)
        {
            var clock = Stopwatch.StartNew();
            var level = Attribute(connection, userDn, attribute);
            var seen = new HashSet<string>(level, StringComparer.OrdinalIgnoreCase);
            for (var depth = 1; settings.NestedGroups == NestedGroups.Recursive && depth < settings.NestedGroupsDepth && level.Count > 0 && seen.Count < MaxGroups; depth++)
            {
                level = [.. level.SelectMany(group => Attribute(connection, group, attribute)).Where(seen.Add)];
            }
            var fromAttribute = seen.Select(LdapDn.FirstRdnValue).OfType<string>().ToList();
            names.UnionWith(fromAttribute);
            trace?.Add(new DirectoryStep($"groups from {attribute}", clock.Elapsed, string.Join(", ", fromAttribute.Order(StringComparer.Ordinal))));
        }
        return [.. names];
    }

    private IEnumerable<SearchResultEntry> Search(LdapConnection connection, LdapSearch search, string filter)
    {
        var request = new SearchRequest(search.Base, filter, search.Scope, search.AttributeName) { SizeLimit = MaxGroups, TimeLimit = settings.Timeout };
        var response = (SearchResponse)connection.SendRequest(request, settings.Timeout);
        return response.Entries.Cast<SearchResultEntry>();
    }

    private List<string> Attribute(LdapConnection connection, string dn, string attribute)
    {
        try
        {
            var request = new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, attribute) { TimeLimit = settings.Timeout };
            var response = (SearchResponse)connection.SendRequest(request, settings.Timeout);
            return [.. response.Entries.Cast<SearchResultEntry>().SelectMany(e => Values(e, attribute))];
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            return [];
        }
    }

    private bool Exists(LdapConnection connection, string dn, IList<DirectoryStep>? trace)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var response = (SearchResponse)connection.SendRequest(new SearchRequest(dn, "(objectClass=*)", SearchScope.Base, "1.1"), settings.Timeout);
            trace?.Add(new DirectoryStep("user entry", clock.Elapsed, "exists"));
            return response.Entries.Count == 1;
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.NoSuchObject)
        {
            trace?.Add(new DirectoryStep("user entry", clock.Elapsed, "no such entry"));
            return false;
        }
    }

    /// <summary>An attribute's values; <c>dn</c> and <c>distinguishedName</c> fall back to the entry's DN, as in devpi-ldap.</summary>
    private static List<string> Values(SearchResultEntry entry, string attribute)
    {
        var values = entry.Attributes[attribute]?.GetValues(typeof(string)).Cast<string>().ToList() ?? [];
        if (values.Count == 0 && attribute.ToLowerInvariant() is "dn" or "distinguishedname")
        {
            values.Add(entry.DistinguishedName);
        }
        return values;
    }

    private static NetworkCredential? SearchAccount(LdapSearch? search) =>
        search?.BindDn is { } dn ? new NetworkCredential(dn, search.Password) : null;

    public void Dispose() => _connector.Dispose();
}

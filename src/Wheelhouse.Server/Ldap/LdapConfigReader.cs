using System.DirectoryServices.Protocols;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// Reads a devpi-ldap YAML file as is (the <c>devpi-ldap:</c> mapping; other top-level keys, such as a devpi-server
/// section of a shared file, are left alone) plus Wheelhouse's own keys, and reports every problem at once, each
/// naming its key.
/// </summary>
public static class LdapConfigReader
{
    private static readonly string[] TopKeys =
    [
        "url", "tls", "server_pool", "user_template", "user_search", "group_search", "referrals", "reject_as_unknown", "timeout",
        "start_tls", "ca_file", "group_attribute", "nested_groups", "nested_groups_depth", "cache_seconds", "cache_size",
    ];

    private static readonly string[] ServerKeys = ["url", "tls", "start_tls", "ca_file"];
    private static readonly string[] TlsKeys = ["validate", "ca_certs_file"];
    private static readonly string[] SearchKeys = ["base", "filter", "scope", "attribute_name", "userdn", "password", "password_file"];
    private static readonly string[] RequiredSearchKeys = ["base", "filter", "attribute_name"];

    /// <summary>Reads <paramref name="path"/>; <paramref name="environment"/> gives <c>CREDENTIALS_DIRECTORY</c> for relative password files.</summary>
    public static LdapSettings? Read(string path, Func<string, string?> environment, List<string> problems)
    {
        var before = problems.Count;
        var at = new LdapConfigKeyPath($"ldap config {path}", problems);
        YamlStream stream = [];
        try
        {
            using var text = File.OpenText(path);
            stream.Load(text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"ldap config {path}: cannot read it: {e.Message}");
            return null;
        }
        catch (YamlException e)
        {
            problems.Add($"ldap config {path}: not valid YAML (line {e.Start.Line}): {e.Message}");
            return null;
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("devpi-ldap"), out var node) || node is not YamlMappingNode ldap)
        {
            problems.Add($"ldap config {path}: expected one YAML document with a 'devpi-ldap:' mapping (devpi-ldap's format; see the README)");
            return null;
        }
        var top = at.Child("devpi-ldap");
        var keys = top.Mapping(ldap, TopKeys);

        var startTls = keys.TryGetValue("start_tls", out var st) && top.Child("start_tls").Boolean(st);
        var caFile = keys.TryGetValue("ca_file", out var ca) ? top.Child("ca_file").ReadableFile(top.Child("ca_file").Text(ca)) : null;
        var servers = new List<LdapServer>();
        if (keys.ContainsKey("url") == keys.ContainsKey("server_pool"))
        {
            top.Problem("give either 'url' or 'server_pool' (a list of servers), not both or neither");
        }
        else if (keys.TryGetValue("url", out var url))
        {
            servers.Add(Server(top, url, keys.GetValueOrDefault("tls"), startTls, caFile));
        }
        else if (keys["server_pool"] is YamlSequenceNode { Children.Count: > 0 } pool)
        {
            for (var i = 0; i < pool.Children.Count; i++)
            {
                var entry = top.Child($"server_pool[{i}]");
                var e = entry.Mapping(pool.Children[i], ServerKeys);
                var entryStartTls = e.TryGetValue("start_tls", out var est) ? entry.Child("start_tls").Boolean(est) : startTls;
                var entryCa = e.TryGetValue("ca_file", out var eca) ? entry.Child("ca_file").ReadableFile(entry.Child("ca_file").Text(eca)) : caFile;
                if (!e.TryGetValue("url", out var entryUrl))
                {
                    entry.Problem("each server needs a 'url'");
                    continue;
                }
                servers.Add(Server(entry, entryUrl, e.GetValueOrDefault("tls"), entryStartTls, entryCa));
            }
        }
        else
        {
            top.Child("server_pool").Problem("must be a non-empty list of servers, each with a 'url'");
        }

        string? template = null;
        LdapSearch? userSearch = null, groupSearch = null;
        if (keys.ContainsKey("user_template") == keys.ContainsKey("user_search"))
        {
            top.Problem("give either 'user_template' or 'user_search', not both or neither");
        }
        else if (keys.TryGetValue("user_template", out var t))
        {
            template = top.Child("user_template").Text(t);
            top.Child("user_template").Template(template, ["username"], required: "username");
        }
        else
        {
            userSearch = Search(top.Child("user_search"), keys["user_search"], ["username"], environment);
        }
        if (keys.TryGetValue("group_search", out var gs))
        {
            groupSearch = Search(top.Child("group_search"), gs, ["username", "userdn"], environment);
        }
        var groupAttribute = keys.TryGetValue("group_attribute", out var ga) ? top.Child("group_attribute").Text(ga) : null;
        var nested = keys.TryGetValue("nested_groups", out var ng) ? Nested(top.Child("nested_groups"), ng) : NestedGroups.None;
        if (nested == NestedGroups.InChain && groupSearch is null)
        {
            top.Child("nested_groups").Problem("in_chain searches under group_search's base: add a group_search");
        }
        if (nested == NestedGroups.Recursive && groupSearch is null && groupAttribute is null)
        {
            top.Child("nested_groups").Problem("a recursive search needs group_search or group_attribute to start from");
        }

        var settings = new LdapSettings
        {
            Source = path,
            Servers = servers,
            UserTemplate = template,
            UserSearch = userSearch,
            GroupSearch = groupSearch,
            GroupAttribute = groupAttribute,
            NestedGroups = nested,
            NestedGroupsDepth = keys.TryGetValue("nested_groups_depth", out var d) ? (int)top.Child("nested_groups_depth").Number(d, 1, 20) : 5,
            Referrals = !keys.TryGetValue("referrals", out var r) || top.Child("referrals").Boolean(r),
            Timeout = TimeSpan.FromSeconds(keys.TryGetValue("timeout", out var to) ? top.Child("timeout").Number(to, 0.01, 600) : LdapSettings.DefaultTimeoutSeconds),
            CacheLifetime = TimeSpan.FromSeconds(keys.TryGetValue("cache_seconds", out var cs) ? top.Child("cache_seconds").Number(cs, 0, 86400) : 300),
            CacheSize = keys.TryGetValue("cache_size", out var cz) ? (int)top.Child("cache_size").Number(cz, 1, 1_000_000) : 10_000,
        };
        // reject_as_unknown is accepted for compatibility: a wrong password and an unknown user always look the same here.
        if (keys.TryGetValue("reject_as_unknown", out var rau))
        {
            top.Child("reject_as_unknown").Boolean(rau);
        }
        return problems.Count == before ? settings : null;
    }

    private static LdapServer Server(LdapConfigKeyPath at, YamlNode urlNode, YamlNode? tlsNode, bool startTls, string? caFile)
    {
        var text = at.Child("url").Text(urlNode);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("ldap" or "ldaps") || url.Host.Length == 0
            || url.AbsolutePath is not ("" or "/") || url.Query.Length > 0 || url.UserInfo.Length > 0)
        {
            at.Child("url").Problem($"'{text}' must be ldap://HOST[:PORT] or ldaps://HOST[:PORT]");
            url = new Uri("ldap://invalid");
        }
        if (tlsNode is not null)
        {
            var tls = at.Child("tls");
            var t = tls.Mapping(tlsNode, TlsKeys);
            if (t.TryGetValue("validate", out var v) && tls.Child("validate").Text(v) is not ("2" or "CERT_REQUIRED"))
            {
                tls.Child("validate").Problem("Wheelhouse always validates the server's certificate (libldap offers no per-connection way "
                    + "to turn that off); remove 'validate' or set it to 2, and give ca_certs_file for a private CA");
            }
            if (t.TryGetValue("ca_certs_file", out var c))
            {
                caFile = tls.Child("ca_certs_file").ReadableFile(tls.Child("ca_certs_file").Text(c));
            }
        }
        if (startTls && url.Scheme == "ldaps")
        {
            at.Child("start_tls").Problem($"{url} is already TLS (ldaps://); StartTLS is for ldap:// URLs");
        }
        return new LdapServer(url, startTls && url.Scheme == "ldap", caFile);
    }

    private static LdapSearch? Search(LdapConfigKeyPath at, YamlNode node, string[] placeholders, Func<string, string?> environment)
    {
        var keys = at.Mapping(node, SearchKeys);
        foreach (var required in RequiredSearchKeys.Where(k => !keys.ContainsKey(k)))
        {
            at.Problem($"'{required}' is required");
        }
        var filter = keys.TryGetValue("filter", out var f) ? at.Child("filter").Text(f) : "";
        if (filter.Length > 0 && !(filter.StartsWith('(') && filter.EndsWith(')')))
        {
            at.Child("filter").Problem($"'{filter}' must be an LDAP filter in parentheses, such as (uid={{username}})");
        }
        at.Child("filter").Template(filter, placeholders, required: null);
        var scope = SearchScope.Subtree;
        if (keys.TryGetValue("scope", out var s))
        {
            scope = at.Child("scope").Text(s) switch
            {
                "base-object" => SearchScope.Base,
                "single-level" => SearchScope.OneLevel,
                "whole-subtree" => SearchScope.Subtree,
                var other => at.Child("scope").Problem<SearchScope>($"'{other}' must be base-object, single-level or whole-subtree"),
            };
        }
        var bindDn = keys.TryGetValue("userdn", out var u) ? at.Child("userdn").Text(u) : null;
        var password = keys.TryGetValue("password", out var p) ? at.Child("password").Text(p) : null;
        if (keys.TryGetValue("password_file", out var pf))
        {
            if (password is not null)
            {
                at.Problem("give 'password' or 'password_file', not both");
            }
            password = at.Child("password_file").Secret(at.Child("password_file").Text(pf), environment("CREDENTIALS_DIRECTORY"));
        }
        if (bindDn is not null && password is null)
        {
            at.Problem("'userdn' needs 'password' or 'password_file'");
        }
        return new LdapSearch(
            keys.TryGetValue("base", out var b) ? at.Child("base").Text(b) : "", filter, scope,
            keys.TryGetValue("attribute_name", out var a) ? at.Child("attribute_name").Text(a) : "", bindDn, password);
    }

    private static NestedGroups Nested(LdapConfigKeyPath at, YamlNode node) => at.Text(node) switch
    {
        "false" or "no" or "none" => NestedGroups.None,
        "true" or "yes" or "recursive" => NestedGroups.Recursive,
        "in_chain" => NestedGroups.InChain,
        var other => at.Problem<NestedGroups>($"'{other}' must be false, recursive (any server) or in_chain (Active Directory)"),
    };
}

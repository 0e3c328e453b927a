using System.Text;

namespace Wheelhouse.Server.Ldap;

/// <summary>
/// devpi-ldap's templates (Python format strings: <c>{username}</c>, <c>{userdn}</c>, <c>{{</c> and <c>}}</c> for
/// braces) filled with escaped values: RFC 4515 in filters, RFC 4514 in DNs, so a user name can never change a
/// filter's or a DN's structure.
/// </summary>
public static class LdapTemplate
{
    /// <summary>The placeholder names used in <paramref name="template"/>, or null when its braces are unbalanced.</summary>
    public static IReadOnlySet<string>? Placeholders(string template)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return Fill(template, name =>
        {
            names.Add(name);
            return "";
        }) is null ? null : names;
    }

    /// <summary>Fills a search filter; values are escaped as RFC 4515 assertion values.</summary>
    public static string Filter(string template, IReadOnlyDictionary<string, string> values) =>
        Fill(template, name => EscapeFilterValue(values[name])) ?? throw new ArgumentException($"invalid template {template}");

    /// <summary>Fills a DN template; values are escaped as RFC 4514 attribute values.</summary>
    public static string Dn(string template, IReadOnlyDictionary<string, string> values) =>
        Fill(template, name => EscapeDnValue(values[name])) ?? throw new ArgumentException($"invalid template {template}");

    /// <summary>RFC 4515 section 3: <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c> and NUL as <c>\XX</c>; non-ASCII as its UTF-8 bytes.</summary>
    public static string EscapeFilterValue(string value)
    {
        var result = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (byte)'*' or (byte)'(' or (byte)')' or (byte)'\\' or 0 || b >= 0x80)
            {
                result.Append('\\').Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                result.Append((char)b);
            }
        }
        return result.ToString();
    }

    /// <summary>RFC 4514 section 2.4: special characters backslash-escaped, a leading <c>#</c> or space and a trailing space too, NUL as <c>\00</c>.</summary>
    public static string EscapeDnValue(string value)
    {
        var result = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                result.Append("\\00");
            }
            else if (c is '"' or '+' or ',' or ';' or '<' or '>' or '\\' or '=' || (i == 0 && c is '#' or ' ') || (i == value.Length - 1 && c == ' '))
            {
                result.Append('\\').Append(c);
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    private static string? Fill(string template, Func<string, string> value)
    {
        var result = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                result.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                result.Append('}');
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                var name = end < 0 ? "" : template[(i + 1)..end];
                if (name.Length == 0 || name.Contains('{', StringComparison.Ordinal))
                {
                    return null;
                }
                result.Append(value(name));
                i = end;
            }
            else if (c == '}')
            {
                return null;
            }
            else
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }
}

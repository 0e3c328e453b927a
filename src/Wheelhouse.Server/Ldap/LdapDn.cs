using System.Text;

namespace Wheelhouse.Server.Ldap;

/// <summary>Distinguished names as RFC 4514 writes them.</summary>
public static class LdapDn
{
    /// <summary>
    /// The first RDN's value, unescaped: the group's name in a DN from <c>memberOf</c> (<c>cn=dev\,ops,ou=g</c> →
    /// <c>dev,ops</c>). A <c>\XX</c> escape is one byte of the value's UTF-8 (<c>caf\C3\A9</c> → <c>café</c>). Null
    /// when there is no <c>=</c>.
    /// </summary>
    public static string? FirstRdnValue(string dn)
    {
        var equals = dn.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return null;
        }
        var value = new StringBuilder();
        var escaped = new List<byte>(); // a run of \XX escapes, decoded together: one character may take several
        void Flush()
        {
            value.Append(Encoding.UTF8.GetString([.. escaped]));
            escaped.Clear();
        }
        for (var i = equals + 1; i < dn.Length; i++)
        {
            if (dn[i] == '\\' && i + 2 < dn.Length && Uri.IsHexDigit(dn[i + 1]) && Uri.IsHexDigit(dn[i + 2]))
            {
                escaped.Add(Convert.ToByte(dn.Substring(i + 1, 2), 16));
                i += 2;
                continue;
            }
            Flush();
            if (dn[i] == '\\' && i + 1 < dn.Length)
            {
                value.Append(dn[++i]);
            }
            else if (dn[i] is ',' or '+')
            {
                break;
            }
            else
            {
                value.Append(dn[i]);
            }
        }
        Flush();
        return value.ToString().Trim();
    }
}

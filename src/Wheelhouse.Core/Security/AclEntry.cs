using System.Diagnostics.CodeAnalysis;
using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Security;

/// <summary>
/// One entry of an index ACL (<c>acl_upload</c>, <c>acl_toxresult_upload</c>): a user name, <c>:ANONYMOUS:</c>
/// (everyone, logged in or not), <c>:AUTHENTICATED:</c> (anyone logged in) or <c>:groupname</c> (members of a group).
/// </summary>
public sealed record AclEntry
{
    public const string AnonymousSpelling = ":ANONYMOUS:";
    public const string AuthenticatedSpelling = ":AUTHENTICATED:";

    public static readonly AclEntry Anonymous = new(AclEntryKind.Anonymous, AnonymousSpelling);
    public static readonly AclEntry Authenticated = new(AclEntryKind.Authenticated, AuthenticatedSpelling);

    private AclEntry(AclEntryKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public AclEntryKind Kind { get; }

    /// <summary>The user or group name (for the special entries, their spelling).</summary>
    public string Name { get; }

    public static AclEntry ForUser(UserName user) => new(AclEntryKind.User, user.Value);

    public static bool TryParse(string? raw, [NotNullWhen(true)] out AclEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        var text = (raw ?? "").Trim();
        if (string.Equals(text, AnonymousSpelling, StringComparison.OrdinalIgnoreCase))
        {
            entry = Anonymous;
        }
        else if (string.Equals(text, AuthenticatedSpelling, StringComparison.OrdinalIgnoreCase))
        {
            entry = Authenticated;
        }
        else if (text.StartsWith(':'))
        {
            var group = text[1..];
            if (group.Length == 0 || group.Contains(':') || NameRules.Check(group, "group") is not null)
            {
                error = $"invalid ACL entry '{Packages.ProjectName.Printable(text)}': use a user name, :ANONYMOUS:, :AUTHENTICATED: or :groupname";
                return false;
            }
            entry = new AclEntry(AclEntryKind.Group, group);
        }
        else if (UserName.TryParse(text, out var user, out var userError))
        {
            entry = ForUser(user);
        }
        else
        {
            error = $"invalid ACL entry: {userError}";
            return false;
        }
        error = null;
        return true;
    }

    public bool Includes(Principal principal) => Kind switch
    {
        AclEntryKind.Anonymous => true,
        AclEntryKind.Authenticated => principal.IsAuthenticated,
        AclEntryKind.Group => principal.Groups.Contains(Name),
        _ => principal.User?.Value == Name,
    };

    /// <summary>devpi's spelling: the user name, <c>:ANONYMOUS:</c>, <c>:AUTHENTICATED:</c> or <c>:group</c>.</summary>
    public override string ToString() => Kind == AclEntryKind.Group ? ":" + Name : Name;
}

public enum AclEntryKind
{
    User,
    Group,
    Anonymous,
    Authenticated,
}

using Wheelhouse.Core.Indexes;

namespace Wheelhouse.Core.Security;

/// <summary>Who is asking: anonymous, or a user with the groups they belong to (from the local store or LDAP).</summary>
public sealed record Principal
{
    public static readonly Principal Anonymous = new(null, new HashSet<string>());

    private Principal(UserName? user, IReadOnlySet<string> groups)
    {
        User = user;
        Groups = groups;
    }

    public UserName? User { get; }

    public IReadOnlySet<string> Groups { get; }

    public bool IsAuthenticated => User is not null;

    public bool IsRoot => User?.IsRoot == true;

    public static Principal ForUser(UserName user, IEnumerable<string>? groups = null) =>
        new(user, new HashSet<string>(groups ?? [], StringComparer.Ordinal));

    public bool Is(UserName user) => User == user;

    public override string ToString() => User?.Value ?? "anonymous";
}

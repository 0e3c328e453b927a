namespace Wheelhouse.Server.Ldap;

/// <summary>
/// The directory as authentication sees it: does a name and password log in, and with which groups; does the
/// directory know a name. Blocking calls, each bounded by the configured timeout.
/// </summary>
public interface IDirectoryLogin
{
    /// <summary>False when no directory is configured: every answer is <see cref="DirectoryAnswer.Refused"/>.</summary>
    bool Enabled { get; }

    /// <summary>Binds as the user; an empty password is refused without asking the directory.</summary>
    DirectoryAnswer Authenticate(string user, string password);

    /// <summary>Whether the directory knows <paramref name="user"/> (for <c>devpi user -c NAME</c> without a password).</summary>
    DirectoryAnswer Find(string user);
}

/// <summary>No directory configured.</summary>
public sealed class NoDirectory : IDirectoryLogin
{
    public bool Enabled => false;

    public DirectoryAnswer Authenticate(string user, string password) => DirectoryAnswer.Refused;

    public DirectoryAnswer Find(string user) => DirectoryAnswer.Refused;
}

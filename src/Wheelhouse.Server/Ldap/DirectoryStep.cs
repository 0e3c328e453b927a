namespace Wheelhouse.Server.Ldap;

/// <summary>One step of a log-in, for <c>ldap check</c>.</summary>
public sealed record DirectoryStep(string Name, TimeSpan Elapsed, string Detail);

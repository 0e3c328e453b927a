namespace Wheelhouse.Packaging.Deb;

/// <summary>
/// One field of a Debian control paragraph. <see cref="Value"/> keeps continuation lines exactly as they are written
/// after the first line (each starting with a space; " ." for an empty line), without a trailing newline.
/// </summary>
public sealed record ControlField(string Name, string Value);

namespace Wheelhouse.Core.Distributions;

/// <summary>The compatibility tags of a wheel file name (PEP 427/425); <see cref="BuildTag"/> is null when absent.</summary>
public sealed record WheelTags(string? BuildTag, string PythonTag, string AbiTag, string PlatformTag)
{
    /// <summary>The tag triple as written in the file name, e.g. <c>py3-none-any</c>.</summary>
    public override string ToString() => $"{PythonTag}-{AbiTag}-{PlatformTag}";
}

namespace Wheelhouse.Packaging.Dependencies;

/// <summary>
/// What dependency detection needs from an ELF object: its machine, the shared libraries it needs (DT_NEEDED),
/// its own soname, its interpreter (PT_INTERP) and the symbol versions it needs per library (DT_VERNEED),
/// e.g. libc.so.6 → GLIBC_2.17, GLIBC_2.34.
/// </summary>
public sealed record ElfFile(
    string Path,
    ushort Machine,
    bool Is64Bit,
    IReadOnlyList<string> Needed,
    string? Soname,
    string? Interpreter,
    IReadOnlyDictionary<string, IReadOnlyList<string>> NeededVersions)
{
    public bool IsMachine(ElfMachine machine) => Machine == (ushort)machine;
}

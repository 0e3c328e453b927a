namespace Wheelhouse.Packaging.Dependencies;

/// <summary>e_machine values we package for (elf.h).</summary>
public enum ElfMachine : ushort
{
    X86_64 = 62,
    AArch64 = 183,
}

using System.Numerics;

namespace Wheelhouse.Core.Versions;

/// <summary>The pre-release part of a PEP 440 version: a normalized label (<c>a</c>, <c>b</c>, <c>rc</c>) and its number.</summary>
public readonly record struct PreRelease(string Label, BigInteger Number);

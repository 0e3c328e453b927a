namespace Wheelhouse.Core.Distributions;

/// <summary>The distribution formats an index accepts: wheels (PEP 427) and source distributions (PEP 625, legacy zip).</summary>
public enum DistributionKind
{
    Wheel,
    SdistTarGz,
    SdistZip,
}

namespace Wheelhouse.Core.Distributions;

/// <summary>What <see cref="DistributionInspector"/> found: the core metadata, or why the file is not acceptable.</summary>
public abstract record InspectionResult
{
    private InspectionResult()
    {
    }

    /// <param name="Metadata">The parsed metadata.</param>
    /// <param name="RawMetadata">The member's bytes as stored; for a wheel this is what PEP 658 serves as <c>.metadata</c>.</param>
    /// <param name="MemberPath">Where in the archive the metadata was found, e.g. <c>foo-1.0.dist-info/METADATA</c>.</param>
    public sealed record Success(CoreMetadata Metadata, byte[] RawMetadata, string MemberPath) : InspectionResult;

    /// <param name="Message">A sentence for the uploader: what is wrong with the file.</param>
    public sealed record Failure(string Message) : InspectionResult;
}

namespace Wheelhouse.Packaging.Templates;

/// <summary>The model of <c>copyright.sbn</c> (DEP-5 machine-readable format).</summary>
/// <param name="Year">The year of SOURCE_DATE_EPOCH, so the file does not change with the build clock.</param>
public sealed record CopyrightModel(string Package, string Maintainer, string Homepage, int Year);

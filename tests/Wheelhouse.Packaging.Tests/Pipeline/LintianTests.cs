using Wheelhouse.Packaging.Verification;

namespace Wheelhouse.Packaging.Tests.Pipeline;

[Integration]
[Collection(PipelineCollection.Name)]
public sealed class LintianTests(PipelineFixture pipeline)
{
    [Fact]
    public async Task Lintian_pedantic_reports_no_error_and_no_warning_on_any_package()
    {
        foreach (var deb in pipeline.Debs)
        {
            var result = await DebVerifier.VerifyAsync(deb);

            result.Problems.Should().BeEmpty($"lintian --pedantic on {Path.GetFileName(deb)} said:\n{result.LintianOutput}");
        }
    }
}

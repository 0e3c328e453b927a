using Wheelhouse.Build.InstallProof;

namespace Wheelhouse.Build.Tests.InstallProof;

public sealed class HttpAnswerTests
{
    [Fact]
    public void Parses_status_headers_and_body()
    {
        var output = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nX-Devpi-Api-Version: 2\r\n\r\n{\"type\": \"status\"}\n" + HttpAnswer.StatusMarker + "200";
        var answer = HttpAnswer.Parse(output);
        answer.Status.Should().Be(200);
        answer.Header("server").Should().Be("nginx/1.22.1");
        answer.Header("X-Devpi-Api-Version").Should().Be("2");
        answer.Body.Should().Be("{\"type\": \"status\"}");
    }

    [Fact]
    public void Keeps_only_the_last_header_block()
    {
        var output = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nX-A: b\r\n\r\nbody\n" + HttpAnswer.StatusMarker + "201";
        var answer = HttpAnswer.Parse(output);
        answer.Status.Should().Be(201);
        answer.Header("X-A").Should().Be("b");
        answer.Body.Should().Be("body");
    }

    [Fact]
    public void No_connection_is_status_zero() =>
        HttpAnswer.Parse("\n" + HttpAnswer.StatusMarker + "000").Status.Should().Be(0);
}

using System.Net;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Wheelhouse.Core.Packages;

namespace Wheelhouse.Server.Mirrors;

/// <summary>
/// Talks to one upstream simple index (PEP 503 HTML or PEP 691 JSON): project pages, the project list, and opening
/// file downloads. Every expected problem comes back as an <see cref="UpstreamResult{T}"/>; only the caller's own
/// cancellation escapes as an exception. Messages show the upstream URL without its password.
/// </summary>
public sealed class UpstreamSimpleClient(HttpClient http, MirrorHttpOptions options, ILogger<UpstreamSimpleClient> logger)
{
    /// <summary>PEP 691's preference order: JSON first, HTML as the fallback every index speaks.</summary>
    public const string AcceptHeader = "application/vnd.pypi.simple.v1+json, text/html;q=0.1";

    public MirrorHttpOptions Options => options;

    public async Task<UpstreamResult<UpstreamProjectPage>> GetProjectPageAsync(MirrorUrl mirror, ProjectName project, CancellationToken cancellationToken)
    {
        var url = mirror.ProjectPage(project);
        var body = await GetPageAsync(mirror, url, cancellationToken);
        if (body is not UpstreamResult<(string Text, bool IsJson)>.Success { Value: var (text, isJson) })
        {
            return body.Propagate<UpstreamProjectPage>();
        }
        var (page, error) = isJson
            ? SimpleJsonParser.ParseProjectPage(text, url, project.Normalized)
            : SimpleHtmlParser.ParseProjectPage(text, url, project.Normalized);
        return page is not null ? new UpstreamResult<UpstreamProjectPage>.Success(page) : Garbage<UpstreamProjectPage>(url, error!);
    }

    public async Task<UpstreamResult<UpstreamProjectList>> GetProjectListAsync(MirrorUrl mirror, CancellationToken cancellationToken)
    {
        var body = await GetPageAsync(mirror, mirror.BaseUri, cancellationToken);
        if (body is not UpstreamResult<(string Text, bool IsJson)>.Success { Value: var (text, isJson) })
        {
            return body.Propagate<UpstreamProjectList>();
        }
        var (list, error) = isJson ? SimpleJsonParser.ParseProjectList(text) : SimpleHtmlParser.ParseProjectList(text);
        return list is not null ? new UpstreamResult<UpstreamProjectList>.Success(list) : Garbage<UpstreamProjectList>(mirror.BaseUri, error!);
    }

    /// <summary>Starts a file download; the caller owns (and disposes) the response, whose status is a success.</summary>
    public Task<UpstreamResult<HttpResponseMessage>> OpenFileAsync(MirrorUrl mirror, Uri fileUrl, CancellationToken cancellationToken) =>
        SendAsync(mirror, fileUrl, "*/*", cancellationToken);

    private async Task<UpstreamResult<(string Text, bool IsJson)>> GetPageAsync(MirrorUrl mirror, Uri url, CancellationToken cancellationToken)
    {
        var opened = await SendAsync(mirror, url, AcceptHeader, cancellationToken);
        if (opened is not UpstreamResult<HttpResponseMessage>.Success { Value: var response })
        {
            return opened.Propagate<(string, bool)>();
        }
        using (response)
        {
            var mediaType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
            var isJson = mediaType == SimpleJsonParser.MediaType;
            if (!isJson && mediaType is not (null or "text/html" or "application/xhtml+xml"))
            {
                return Garbage<(string, bool)>(url, $"the answer has content type {mediaType}, neither HTML nor {SimpleJsonParser.MediaType}");
            }
            if (response.Content.Headers.ContentLength > options.MaxPageBytes)
            {
                return TooLarge<(string, bool)>(url, response.Content.Headers.ContentLength.Value);
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.AttemptTimeout);
            try
            {
                await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
                {
                    if (buffer.Length + read > options.MaxPageBytes)
                    {
                        return TooLarge<(string, bool)>(url, null);
                    }
                    buffer.Write(chunk, 0, read);
                }
                var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
                return new UpstreamResult<(string, bool)>.Success((text, isJson));
            }
            catch (DecoderFallbackException)
            {
                return Garbage<(string, bool)>(url, "the answer is not UTF-8 text");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Fail<(string, bool)>(UpstreamFailureKind.Timeout, url, $"the page did not arrive within {options.AttemptTimeout.TotalSeconds:0.###} s");
            }
            catch (HttpRequestException e)
            {
                return Fail<(string, bool)>(UpstreamFailureKind.Unreachable, url, $"the connection failed while reading the page ({e.Message})");
            }
        }
    }

    private async Task<UpstreamResult<HttpResponseMessage>> SendAsync(MirrorUrl mirror, Uri url, string accept, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept); // verbatim, as PEP 691 writes it
        request.Headers.Authorization = mirror.AuthorizationFor(url);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException)
        {
            return Fail<HttpResponseMessage>(UpstreamFailureKind.Timeout, url,
                $"no answer within the time limit ({options.AttemptTimeout.TotalSeconds:0.###} s per attempt, {options.TotalTimeout.TotalSeconds:0.###} s in all)");
        }
        catch (BrokenCircuitException)
        {
            return Fail<HttpResponseMessage>(UpstreamFailureKind.CircuitOpen, url,
                $"requests to {url.Authority} are paused after repeated failures (circuit open for {options.BreakDuration.TotalSeconds:0.###} s)");
        }
        catch (HttpRequestException e)
        {
            return Fail<HttpResponseMessage>(UpstreamFailureKind.Unreachable, url, $"cannot connect ({e.Message})");
        }
        catch (OperationCanceledException)
        {
            return Fail<HttpResponseMessage>(UpstreamFailureKind.Timeout, url, "the request was abandoned (timeout)");
        }
        if (response.IsSuccessStatusCode)
        {
            return new UpstreamResult<HttpResponseMessage>.Success(response);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return new UpstreamResult<HttpResponseMessage>.NotFound($"{MirrorUrl.Redact(url)} answered {status} {response.ReasonPhrase}");
            }
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? mirror.HasCredentials ? " (check the credentials in mirror_url)" : " (the upstream needs credentials: put them in mirror_url)"
                : "";
            return Fail<HttpResponseMessage>(UpstreamFailureKind.HttpError, url, $"answered {status} {response.ReasonPhrase}{hint}");
        }
    }

    private UpstreamResult<T> Fail<T>(UpstreamFailureKind kind, Uri url, string what)
    {
        var message = $"upstream {MirrorUrl.Redact(url)}: {what}";
        logger.LogWarning("Mirror upstream failure ({Kind}): {Message}", kind, message);
        return UpstreamResult<T>.Fail(kind, message);
    }

    private UpstreamResult<T> Garbage<T>(Uri url, string what) => Fail<T>(UpstreamFailureKind.Garbage, url, $"{what}; it is not a simple index page");

    private UpstreamResult<T> TooLarge<T>(Uri url, long? length) =>
        Fail<T>(UpstreamFailureKind.TooLarge, url, $"the page is larger than the limit of {options.MaxPageBytes} bytes{(length is { } l ? $" ({l} bytes announced)" : "")}");
}

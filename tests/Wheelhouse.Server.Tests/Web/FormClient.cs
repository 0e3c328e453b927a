using System.Net;
using System.Text.RegularExpressions;

namespace Wheelhouse.Server.Tests.Web;

/// <summary>An HTTP client that behaves like a browser towards the forms: keeps cookies, asks for HTML, reads the CSRF field.</summary>
public sealed partial class FormClient : IDisposable
{
    public FormClient(string baseUrl)
    {
        Cookies = new CookieContainer();
        Client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl + "/") };
        Client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client { get; }

    public Cookie? Cookie(string name) => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path.TrimStart('/'));
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The CSRF token of the first form on the page.</summary>
    public async Task<string> CsrfTokenAsync(string path)
    {
        var (response, html) = await GetAsync(path);
        using (response)
        {
            return CsrfOf(html);
        }
    }

    public static string CsrfOf(string html) =>
        CsrfField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no csrf_token field in: " + html);

    public Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] fields) =>
        Client.PostAsync(path.TrimStart('/'), new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    /// <summary>Logs in through the form; returns the response (303 on success).</summary>
    public async Task<HttpResponseMessage> LogInAsync(string user, string password, string? next = null)
    {
        var token = await CsrfTokenAsync("/+login");
        var fields = new List<(string, string)> { ("csrf_token", token), ("username", user), ("password", password) };
        if (next is not null)
        {
            fields.Add(("next", next));
        }
        return await PostAsync("/+web/login", [.. fields]);
    }

    public void Dispose() => Client.Dispose();

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]*)\"")]
    private static partial Regex CsrfField();
}

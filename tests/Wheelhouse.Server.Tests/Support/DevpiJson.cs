using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Wheelhouse.Server.Tests.Support;

/// <summary>The JSON side of the API as devpi-client uses it: a view's <c>result</c>, and <c>POST /+login</c>.</summary>
public static class DevpiJson
{
    public static async Task<JsonNode> ResultAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["result"]!;
    }

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string user, string password)
    {
        using var content = new StringContent(new JsonObject { ["user"] = user, ["password"] = password }.ToJsonString(), Encoding.UTF8, "application/json");
        return await client.PostAsync("+login", content);
    }
}

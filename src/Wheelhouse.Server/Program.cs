var builder = WebApplication.CreateSlimBuilder(args);
var app = builder.Build();
app.Use(async (context, next) =>
{
    context.Response.Headers["X-Devpi-Api-Version"] = "2";
    await next();
});
app.MapGet("/+status", () => Results.Json(new { type = "status", result = new { role = "primary" } }));
app.Run();

public partial class Program;

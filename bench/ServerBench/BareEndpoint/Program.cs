// Bare Kestrel: POST /api/v6/images/fetch/{id} answers the fetch JSON, POST /api/v6/images/text2img the validation
// error JSON, each byte for byte as the real server answered them in the same benchmark run (files given as arguments).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var fetchBody = await File.ReadAllBytesAsync(app.Configuration["fetch-body"] ?? throw new ArgumentException("--fetch-body FILE"));
var errorBody = await File.ReadAllBytesAsync(app.Configuration["error-body"] ?? throw new ArgumentException("--error-body FILE"));
var errorStatus = int.Parse(app.Configuration["error-status"] ?? "400", System.Globalization.CultureInfo.InvariantCulture);

app.MapPost("/api/v6/images/fetch/{id}", async (HttpContext http) =>
{
    await Drain(http);
    await Write(http, 200, fetchBody);
});
app.MapPost("/api/v6/images/text2img", async (HttpContext http) =>
{
    await Drain(http);
    await Write(http, errorStatus, errorBody);
});
await app.RunAsync();

static async Task Drain(HttpContext http)
{
    var buffer = new byte[8192];
    while (await http.Request.Body.ReadAsync(buffer) > 0) { }
}

static async Task Write(HttpContext http, int status, byte[] body)
{
    http.Response.StatusCode = status;
    http.Response.ContentType = "application/json";
    http.Response.ContentLength = body.Length;
    await http.Response.Body.WriteAsync(body);
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using SdApi.Contract.Mappings;
using SdApi.Contract.Prism;
using SdApi.Contract.Tests.Harness;
using SdApi.Contract.WireMock;
using SdApi.Tests.Shared;
using Xunit.Abstractions;

namespace SdApi.Contract.Tests.Matrix;

/// <summary>
/// The agreement matrix (issue 11): every edge row of spec/edge-values.json and a seeded corpus of mutated requests go to
/// the generated validator, the reference server over HTTP, the exported WireMock mappings on the WireMock 3 jar and
/// Prism's validation proxy. Every pair of sides must give the same verdict, and for refusals name a common field;
/// a disagreement passes only when exceptions.json lists its two sides and one of the request's tags, with a reason.
/// Edge rows are also held to the table's own verdict (validator: field and rule id; server: the HTTP status and, for a
/// valid row, the success shape) and the server's answers to the response schema; every answer Prism sees from the
/// server must conform to the spec. This is the only place the edge rows run against a side.
/// </summary>
public sealed class AgreementMatrixTests(ITestOutputHelper output)
{
    public const int CorpusSize = 2000;
    public const int Seed = 20261205;
    private const int Parallelism = 8;

    private static readonly Contract.Schemas.ResponseConformance Conformance = new(SpecFiles.Spec);

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    [Fact]
    public async Task Every_side_agrees_on_every_edge_row_and_mutated_request()
    {
        var clock = Stopwatch.StartNew();
        var spec = SpecFiles.Spec;
        var edges = SpecFiles.Edges;
        var exceptions = MatrixException.Load(Path.Combine(AppContext.BaseDirectory, "Matrix", "exceptions.json"));
        var corpus = new MatrixCorpus(spec, edges, Seed);
        var requests = corpus.EdgeRows().Concat(corpus.Mutated(CorpusSize)).ToList();
        requests.Select(r => r.Operation.OperationId).Distinct().Should().HaveCount(spec.Operations.Count, "every operation is in the matrix");

        await using var images = await ImageHost.StartAsync();
        var mappingsDir = Directory.CreateTempSubdirectory("sdapi-matrix-wiremock-").FullName;
        MappingExporter.Export(new MappingGenerator(spec, WireMockFixture.TestOptions, edges).All(), mappingsDir);
        // The image host is local: a long fetch timeout, so a loaded CI machine does not turn a valid row into a timeout.
        var serverTask = ReferenceServer.StartAsync("--SdApi:UrlFetch:AllowedHosts:0=127.0.0.1", "--SdApi:UrlFetch:Timeout=00:00:10");
        var wireMockTask = WireMockServer.StartAsync(RepoPaths.Root, mappingsDir);
        await using var server = await serverTask;
        using var wireMock = await wireMockTask;
        using var prism = await PrismProxy.StartAsync(RepoPaths.Root, RepoPaths.Spec, server.BaseUrl);
        output.WriteLine($"sides up after {clock.Elapsed.TotalSeconds:F1} s");

        // The image URLs of the bases (example.com) point at a local host every side sees alike, so the server's answer
        // to a valid request is a real success, not a failed download.
        foreach (var request in requests) images.Localize(request.Body);

        var verdicts = new ConcurrentDictionary<MatrixRequest, Dictionary<string, SideVerdict>>();
        var failures = new ConcurrentBag<string>();
        var sent = clock.Elapsed;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, _) =>
        {
            var row = new Dictionary<string, SideVerdict> { [MatrixSides.Validator] = MatrixSides.RunValidator(request) };

            var throughPrism = await Exchange.PostAsync(prism.BaseUrl, request.Path, request.Body);
            row[MatrixSides.Prism] = MatrixSides.FromPrism(throughPrism, out var responseViolations);
            foreach (var violation in responseViolations)
                failures.Add($"{request.Id}: Prism: the server's answer breaks the spec: {violation}");
            // A request Prism let through reached the server: that answer is the server's; otherwise ask it directly.
            var direct = row[MatrixSides.Prism].Accepted ? throughPrism : await Exchange.PostAsync(server.BaseUrl, request.Path, request.Body);
            row[MatrixSides.Server] = MatrixSides.FromAnswer(direct.Status, direct.Body);
            if (direct.Status >= 500) failures.Add($"{request.Id}: the server answered {direct}");

            var mocked = await Exchange.PostAsync(wireMock.BaseUrl, request.Path, request.Body);
            row[MatrixSides.WireMock] = MatrixSides.FromWireMock(mocked.Status, mocked.Body);

            if (request.Row is { } edge)
            {
                foreach (var failure in TableFailures(request, edge, row, direct)) failures.Add(failure);
                foreach (var violation in Conformance.Check(request.Operation, direct.Status, direct.Body))
                    failures.Add($"{request.Id}: the server's answer breaks the response schema: {violation} ({direct})");
            }
            verdicts[request] = row;
        });

        var report = Report(requests, verdicts, exceptions, out var unlisted);
        output.WriteLine($"requests answered by all sides in {(clock.Elapsed - sent).TotalSeconds:F1} s");
        output.WriteLine(report);
        output.WriteLine($"wall time {clock.Elapsed.TotalSeconds:F1} s");
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "agreement-matrix.txt"),
            report + $"sides up in {sent.TotalSeconds:F1} s, wall time {clock.Elapsed.TotalSeconds:F1} s, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a")}\n"
            + string.Join("\n", unlisted) + "\n" + string.Join("\n", failures) + "\n");
        Directory.Delete(mappingsDir, recursive: true);

        failures.Should().BeEmpty();
        unlisted.Should().BeEmpty("every disagreement between sides must be fixed or listed with a reason in Matrix/exceptions.json");
        exceptions.Where(e => !e.Used).Select(e => $"{e.Side} vs {string.Join("/", e.Against)}: {e.Tag}").Should()
            .BeEmpty("an exception no request needs is stale");
    }

    /// <summary>What the edge table itself says about an edge row: the validator names the row's field by the row's rule
    /// (or the reader's wire-type issue); the server answers the row's HTTP status, and a valid row the success or
    /// processing shape.</summary>
    private static IEnumerable<string> TableFailures(MatrixRequest request, Contract.Spec.EdgeRow edge, Dictionary<string, SideVerdict> row, Exchange server)
    {
        var validator = row[MatrixSides.Validator];
        if (edge.Valid != validator.Accepted)
            yield return $"{request.Id}: the table says {(edge.Valid ? "valid" : "invalid")}, the validator: {validator}";
        if (!edge.Valid && !validator.Accepted && !(validator.Detail.Split("; ").Contains($"{edge.Field}:{edge.Rule}")
                                                    || validator.Detail.Split("; ").Contains($"{edge.Field}:wire-type")))
            yield return $"{request.Id}: the validator must name {edge.Field} by rule {edge.Rule}: {validator}";
        var verdict = server.Verdict;
        // fetch rows name jobs that do not exist (a 404 in the API's shape); every other valid row runs.
        if (edge.Valid && request.Operation.Kind != "fetch" && verdict.Kind != Contract.Verify.VerdictKind.Accepted)
            yield return $"{request.Id}: a valid row must get success or processing from the server: {server}";
        if (!edge.Valid && server.Status != (edge.HttpStatus ?? 400))
            yield return $"{request.Id}: the table says HTTP {edge.HttpStatus ?? 400}, the server answered {server}";
    }

    private static string Report(IReadOnlyList<MatrixRequest> requests, ConcurrentDictionary<MatrixRequest, Dictionary<string, SideVerdict>> verdicts,
        IReadOnlyList<MatrixException> exceptions, out List<string> unlisted)
    {
        var sides = MatrixSides.All;
        var listed = new int[sides.Length, sides.Length];
        var open = new int[sides.Length, sides.Length];
        unlisted = [];
        foreach (var request in requests)
        {
            var row = verdicts[request];
            for (var i = 0; i < sides.Length; i++)
                for (var j = i + 1; j < sides.Length; j++)
                {
                    var (a, b) = (row[sides[i]], row[sides[j]]);
                    if (a.AgreesWith(b)) continue;
                    var exception = exceptions.FirstOrDefault(e => e.Covers(sides[i], sides[j], request));
                    if (exception is not null)
                    {
                        exception.Used = true;
                        listed[i, j]++;
                        continue;
                    }
                    open[i, j]++;
                    unlisted.Add($"{sides[i]} vs {sides[j]} on {request} [{string.Join(",", request.Tags)}]: {sides[i]} {a}; {sides[j]} {b}");
                }
        }
        var text = new StringBuilder();
        var edgeCount = requests.Count(r => r.Row is not null);
        text.AppendLine($"Agreement matrix: {requests.Count} requests ({edgeCount} edge rows + {requests.Count - edgeCount} mutated, seed {Seed}) x {sides.Length} sides = {requests.Count * sides.Length} verdicts");
        text.AppendLine($"accepted by the validator: {requests.Count(r => verdicts[r][MatrixSides.Validator].Accepted)}, refused: {requests.Count(r => !verdicts[r][MatrixSides.Validator].Accepted)}");
        text.AppendLine("disagreements (unlisted / listed in exceptions.json):");
        text.Append("            ");
        foreach (var side in sides) text.Append(side.PadLeft(12));
        text.AppendLine();
        for (var i = 0; i < sides.Length; i++)
        {
            text.Append(sides[i].PadRight(12));
            for (var j = 0; j < sides.Length; j++)
            {
                var (x, y) = i < j ? (i, j) : (j, i);
                text.Append((i == j ? "-" : $"{open[x, y]} / {listed[x, y]}").PadLeft(12));
            }
            text.AppendLine();
        }
        var totalOpen = 0;
        var totalListed = 0;
        foreach (var n in open) totalOpen += n;
        foreach (var n in listed) totalListed += n;
        text.AppendLine($"total: {totalOpen} unlisted, {totalListed} listed ({exceptions.Count} exception entries)");
        foreach (var line in unlisted.Take(40)) text.AppendLine("  " + line);
        return text.ToString();
    }

    /// <summary>A loopback host that serves a 1x1 PNG at any path and accepts webhook POSTs.</summary>
    private sealed class ImageHost : IAsyncDisposable
    {
        private static readonly string[] Placeholders = ["https://example.com/", "http://example.com/"];
        private readonly WebApplication _app;

        private ImageHost(WebApplication app, string baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<ImageHost> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/{**path}", () => Results.Bytes(Png, "image/png"));
            app.MapPost("/{**path}", () => Results.Ok());
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new ImageHost(app, address.TrimEnd('/') + "/");
        }

        public void Localize(JsonObject body)
        {
            foreach (var (name, value) in body.ToList())
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    foreach (var placeholder in Placeholders)
                        if (text.StartsWith(placeholder, StringComparison.Ordinal))
                            body[name] = BaseUrl + text[placeholder.Length..];
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

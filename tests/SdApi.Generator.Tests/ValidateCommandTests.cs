using System.CommandLine;
using System.Text.Json.Nodes;
using SdApi.Cli.Commands;
using SdApi.Generator.Tests.Infrastructure;

namespace SdApi.Generator.Tests;

/// <summary><c>sdapi validate</c>, run in-process: the command's plumbing (path lookup, exit codes, the API's error
/// shape). The validator's verdict on every edge row is checked once, in the agreement matrix
/// (tests/SdApi.Contract.Tests/Matrix), so this runs one valid and one invalid row per operation.</summary>
public class ValidateCommandTests
{
    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var root = new RootCommand { ValidateCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString() + error.ToString());
    }

    [Fact]
    public async Task Validate_agrees_with_a_valid_and_an_invalid_row_of_every_operation()
    {
        var dir = Directory.CreateTempSubdirectory("sdapi-validate-");
        try
        {
            var failures = new List<string>();
            var i = 0;
            var rows = EdgeTable.Rows.GroupBy(r => r.Operation)
                .SelectMany(g => new[] { g.First(r => r.Valid), g.First(r => !r.Valid) }).ToList();
            foreach (var row in rows)
            {
                var file = Path.Combine(dir.FullName, $"{i++}.json");
                await File.WriteAllBytesAsync(file, row.Body);
                var (exit, output) = await RunAsync("validate", row.Path, file);
                if (row.Valid)
                {
                    if (exit != 0 || !output.StartsWith("ok " + row.Operation, StringComparison.Ordinal)) failures.Add($"{row.Id}: exit {exit} {output}");
                }
                else if (exit != 1 || JsonNode.Parse(output)!["message"]![row.Field!] is null)
                {
                    failures.Add($"{row.Id}: exit {exit} {output}");
                }
            }
            failures.Should().BeEmpty();
            rows.Select(r => r.Operation).Distinct().Should().HaveCountGreaterThan(10);
            i.Should().Be(rows.Count);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invalid_body_prints_the_api_error_shape()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"key":"k","prompt":"p","width":"abc","samples":99}""");
            var (exit, output) = await RunAsync("validate", "/api/v6/images/text2img", file);
            exit.Should().Be(1);
            var json = JsonNode.Parse(output)!;
            json["status"]!.GetValue<string>().Should().Be("error");
            json["message"]!["width"]!.AsArray().Should().NotBeEmpty();
            json["message"]!["samples"]!.AsArray().Should().NotBeEmpty();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Unreadable_input_exits_2()
    {
        var root = new RootCommand { ValidateCommand.Create() };
        async Task<int> Run(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await SdApi.Cli.Infrastructure.CliRunner.RunAsync(root, args, output, error);
            if (exit == 2) error.ToString().Should().StartWith("sdapi validate:");
            return exit;
        }
        (await Run("validate", "/api/v6/images/text2img", "/no/such/file.json")).Should().Be(2);
        (await Run("validate", "/api/v9/unknown", "/no/such/file.json")).Should().Be(2);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "{not json");
            (await Run("validate", "/api/v6/images/text2img", file)).Should().Be(2);
            await File.WriteAllTextAsync(file, "[1]");
            (await Run("validate", "/api/v6/images/text2img", file)).Should().Be(2);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

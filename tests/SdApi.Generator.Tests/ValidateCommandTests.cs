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
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                // One "warning <field>: <message> (<rule>)" line per warning after the verdict; warnings never change the exit code.
                var warned = lines.Skip(1).Where(l => l.StartsWith("warning ", StringComparison.Ordinal)).Select(l => l[(l.LastIndexOf('(') + 1)..^1]).Distinct().Order().ToList();
                if (!warned.SequenceEqual(row.Warnings.Order()) || lines.Skip(1).Count() != lines.Skip(1).Count(l => l.StartsWith("warning ", StringComparison.Ordinal)))
                    failures.Add($"{row.Id}: warnings [{string.Join(", ", warned)}], expected [{string.Join(", ", row.Warnings)}]: {output}");
                if (row.Valid)
                {
                    if (exit != 0 || !lines[0].StartsWith("ok " + row.Operation, StringComparison.Ordinal)) failures.Add($"{row.Id}: exit {exit} {output}");
                }
                else if (exit != 1 || JsonNode.Parse(lines[0])!["message"]![row.Field!] is null)
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
    public async Task Warnings_are_printed_and_the_exit_stays_0()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """{"key":"k","prompt":"p","width":1020,"height":248,"enhance_style":"Enhance","webhook":"http://example.com/hook"}""");
            var (exit, output) = await RunAsync("validate", "/api/v6/images/text2img", file);
            exit.Should().Be(0, output);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lines[0].Should().Be("ok v6Text2Img");
            lines.Skip(1).Should().BeEquivalentTo(
                "warning width: The width should be divisible by 8. (width-multiple-of-8-v6-text2img)",
                "warning height: The height should be at least 256. (height-min-v6-text2img)",
                "warning enhance_style: The enhance style is not one the pages list. (enhance-style-v6-text2img)",
                "warning webhook: The webhook should use HTTPS; webhooks.mdx says a webhook URL must use HTTPS. (webhook-https-v6-text2img)");
        }
        finally
        {
            File.Delete(file);
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

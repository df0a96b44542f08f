using System.CommandLine;
using Microsoft.Extensions.Configuration;
using SdApi.Cli.Infrastructure;
using SdApi.Server.Hosting;

namespace SdApi.Cli.Commands;

/// <summary>`sdapi serve`: runs the reference server (the same host SdApi.Server's Program.cs builds) with the same
/// options: --urls, and any configuration key as --SdApi:Key=value (see src/SdApi.Server/README.md).</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {SdApiServer.DefaultUrl})." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data folder: jobs, outputs, model store, generated key (SdApi:DataDir; default ./.sdapi-data)." };
        var keys = new Option<string[]>("--key") { Description = "An accepted API key (SdApi:Keys); repeat for more. Without one the server creates a key on first start.", AllowMultipleArgumentsPerToken = false };
        var strict = new Option<bool>("--strict-models") { Description = "Unknown model and LoRA ids get the API's not-found error (SdApi:StrictModels)." };
        var command = new Command("serve", Help.Text(
            "Run the API-compatible reference server (v3/v4/v6 endpoints, jobs in SQLite, webhooks, the built-in model). "
            + "Any other configuration key passes through as --SdApi:Section:Key=value.",
            "sdapi serve",
            "sdapi serve --urls http://127.0.0.1:7860 --key my-ci-key",
            "sdapi serve --data-dir /var/lib/sdapi --strict-models --SdApi:Jobs:SyncBudget=00:00:02"))
        {
            urls,
            dataDir,
            keys,
            strict,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, cancellationToken) =>
        {
            var args = new List<string>();
            if (parse.GetValue(urls) is { } u)
                args.Add("--urls=" + u);
            if (parse.GetValue(dataDir) is { } d)
                args.Add("--SdApi:DataDir=" + d);
            var keyList = parse.GetValue(keys) ?? [];
            for (var i = 0; i < keyList.Length; i++)
                args.Add($"--SdApi:Keys:{i}={keyList[i]}");
            if (parse.GetValue(strict))
                args.Add("--SdApi:StrictModels=true");
            args.AddRange(parse.UnmatchedTokens);
            CheckSettings(args);
            await SdApiServer.RunAsync([.. args], cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Bad input before anything starts (exit 2): a --urls entry that is no http(s) URL, a --SdApi:... value
    /// that does not convert to its setting's type.</summary>
    private static void CheckSettings(List<string> args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine([.. args]).Build();
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
            if (!Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
                throw new CliException($"--urls: '{url}' is not an http(s) URL", ExitCodes.BadInput);
        try
        {
            _ = ConfigurationBinder.Get<SdApi.Server.Configuration.ServerOptions>(configuration.GetSection(SdApi.Server.Configuration.ServerOptions.Section));
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException($"invalid setting: {ex.Message}", ex, ExitCodes.BadInput);
        }
    }
}

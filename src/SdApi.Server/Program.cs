using SdApi.Server.Hosting;

// The reference server: `dotnet run --project src/SdApi.Server [--urls http://127.0.0.1:5080]`.
await SdApiServer.RunAsync(args);

using Orchestration.LocalHost;

// The local host: the catalog's orchestrators on the Durable Task engine, the HTTP API, blob triggers and timers.
// `--azurite` starts a private Azurite on free loopback ports (./run.sh passes it).
await using LocalHostApp host = await LocalHostApp.StartAsync(args);
await host.WaitForShutdownAsync();
return host.ExitCode;

using AlumniNetwork.Bench.IntakeLoad;

// Two runs (docs/performance.md has the results):
//   dotnet run -c Release --project bench/IntakeLoad -- side-by-side [departures=2000] [rounds=2]
//       intake alone, in one process against one Azurite it starts: a raw Azure.Data.Tables loop making exactly the
//       storage calls the product makes per departure, then the product over HTTP, at concurrency 1, 16 and 64.
//   dotnet run -c Release --project bench/IntakeLoad -- [count=500] [concurrency=8] [url=http://localhost:7071]
//       the whole local system (scripts/run-local.sh): signed departures in, every welcome email out.
return args.FirstOrDefault() == SideBySideRun.Command
    ? await SideBySideRun.RunAsync(args[1..])
    : await EndToEndRun.RunAsync(args);

using BenchmarkDotNet.Running;

// dotnet run -c Release -- --filter '*' [--job short]; bench/micro.sh runs them all with the memory diagnoser.
BenchmarkSwitcher.FromAssembly(typeof(PasswordlessBff.Benchmarks.SessionTokenBenchmarks).Assembly).Run(args);

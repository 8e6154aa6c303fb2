using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Warden.Benchmarks -- --filter '*'   (BenchmarkDotNet's switches)
BenchmarkSwitcher.FromAssembly(typeof(Warden.Benchmarks.MatcherBenchmarks).Assembly).Run(args);

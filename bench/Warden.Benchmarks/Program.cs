using BenchmarkDotNet.Running;

// The stock filters' regexes as the shipped binary runs them (generated code, not compiled at run time).
Warden.Fail2Ban.Stock.StockRegexes.Register();

// dotnet run -c Release --project bench/Warden.Benchmarks -- --filter '*'   (BenchmarkDotNet's switches)
BenchmarkSwitcher.FromAssembly(typeof(Warden.Benchmarks.MatcherBenchmarks).Assembly).Run(args);

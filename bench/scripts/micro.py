"""BenchmarkDotNet micro-benchmarks (bench/Warden.Benchmarks): the matcher per line, date
detection per line and the failure tracker per failure, with allocated bytes per operation.
Runs them in process (a separately built boilerplate project times out on the loaded box) with BenchmarkDotNet's short job (3 warm-ups, 3 iterations) and keeps its GitHub
markdown tables for the report.
"""
import glob
import os
import subprocess

import common

PROJECT = os.path.join(common.REPO, "bench", "Warden.Benchmarks")


def run(results, out_dir):
    artifacts = os.path.join(out_dir, "benchmarkdotnet")
    env = dict(os.environ, WARDEN_BENCH_LOGS=common.logs_dir())
    argv = ["dotnet", "run", "-c", "Release", "--project", PROJECT, "--",
            "--filter", "*", "--job", "short", "--inProcess", "--exporters", "github", "--artifacts", artifacts]
    common.log("micro: " + " ".join(argv))
    p = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        results.add({"section": "micro", "case": "error", "table": "```\n" + p.stdout[-2000:] + "\n```"})
        common.log("micro: BenchmarkDotNet failed (exit %d)" % p.returncode)
        return
    for path in sorted(glob.glob(os.path.join(artifacts, "results", "*-report-github.md"))):
        with open(path) as f:
            text = f.read()
        # Keep the table; the environment header repeats the same machine details for each class.
        table = "\n".join(line for line in text.splitlines() if line.startswith("|"))
        name = os.path.basename(path).replace("-report-github.md", "").rsplit(".", 1)[-1]
        results.add({"section": "micro", "case": name, "table": table})
        common.log("micro: %s (%d rows)" % (name, table.count("\n") - 1))

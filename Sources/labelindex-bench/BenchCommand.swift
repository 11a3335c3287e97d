// labelindex-bench: the benchmark suite of LabelIndex, kept out of the shipped `labelindex`.
//
// This target owns the label-workload benchmarks: generating seeded workloads (`generate`),
// running LabelIndex beside the SQLite baseline and the in-memory CRoaring floor (`run`), and
// timing a query file against an existing store (`queries`). It stands on LabelBench (workload,
// SQLite, floor) and LabelCommandLine; `labelindex` depends on neither SQLite nor this.

import ArgumentParser
import LabelBench
import LabelCommandLine
import LabelInterchange

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labelindex-bench",
        abstract: "Generate label workloads and measure LabelIndex against SQLite and an in-memory floor.",
        discussion: """
            Examples:
              labelindex-bench generate --assets 1000000 --labels 2000 --seed 42 --out /tmp/wl
              labelindex-bench run /tmp/wl --readers 2 --out /tmp/wl/report
              labelindex-bench queries --queries /tmp/wl/queries.tsv --data-dir ./data
              labelindex-bench writes --writes pairs.tsv --data-dir ./data --durability no-sync
              labelindex-bench verify --labels 1000000 --pairs 10000000

            Exit codes: 0 success; 1 operational failure; 2 bad input; 3 the systems disagreed
            (`run`); 64 usage error.
            """,
        version: "0.1.0",
        subcommands: [
            BenchGenerateCommand.self, BenchRunCommand.self, BenchQueriesCommand.self, BenchWritesCommand.self,
            BenchVerifyCommand.self,
        ])

    /// Exit codes for the errors of the benchmark libraries.
    static func classify(_ error: any Error) -> CommandFailure? {
        switch error {
        case let error as WorkloadError: .badInput(error.description)
        case let error as SQLiteError: .failure(error.description)
        case let error as ImportError: .badInput(error.description)
        case let error as InterchangeIOError: .failure(error.description)
        default: nil
        }
    }
}

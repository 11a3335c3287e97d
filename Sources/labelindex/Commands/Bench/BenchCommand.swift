import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Generate label workloads and measure LabelIndex against SQLite and an in-memory floor.",
        discussion: """
            Examples:
              labelindex bench generate --assets 1000000 --labels 2000 --seed 42 --out /tmp/wl
              labelindex bench run /tmp/wl --readers 2 --out /tmp/wl/report
              labelindex bench queries --queries /tmp/wl/queries.tsv --data-dir ./data
            """,
        subcommands: [BenchGenerateCommand.self, BenchRunCommand.self, BenchQueriesCommand.self])
}

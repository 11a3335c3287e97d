// labelindex: the command-line tool of LabelIndex.
//
// This target owns the command-line face of the project: loading data (`import`, `export`),
// looking at it (`query`, `labels`, `assets`, `stats`, `check`), running the HTTP server and
// its API keys (`serve`, `keys`), and measuring label workloads (`bench`). It adds no engine
// logic: every command is a thin layer over LabelIndex, LabelQuery, LabelInterchange,
// LabelServer and LabelBench, plus the terminal output (tables, progress, reports) and a
// consistent mapping of failures to exit codes (`ExitStatus`).

import ArgumentParser
import Foundation

struct LabelIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labelindex",
        abstract: "Load, query, serve and benchmark a LabelIndex label store.",
        discussion: """
            Every command works on the store in --data-dir (default ./data). Commands that \
            write create it on first use; commands that only read fail when it does not exist.

            Quick start:
              labelindex import assets.ndjson           load NDJSON (or CSV) files
              labelindex query 'label:prod -label:reviewed'
              labelindex labels tree                    the label hierarchy with counts
              labelindex serve                          the HTTP APIs on 127.0.0.1:8080
              labelindex bench generate --assets 100000 --out /tmp/wl
              labelindex bench run /tmp/wl               compare with SQLite

            Exit codes:
              0   success
              1   operational failure (storage, I/O, the server could not start)
              2   bad input: query syntax error; unknown label, asset, key or
                  namespace; unreadable file; invalid name; a bad line with
                  import --on-error stop
              3   inconsistency: `check` found one, or `bench run` saw the
                  systems disagree
              4   `import` finished but skipped bad lines (--on-error skip)
              64  usage error: unknown command or option, invalid option value

            Shell completions: labelindex --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, ImportCommand.self, ExportCommand.self, QueryCommand.self, LabelsCommand.self,
            AssetsCommand.self, StatsCommand.self, CheckCommand.self, KeysCommand.self, BenchCommand.self,
        ])

    /// Parses the command line, runs the command and exits with its `ExitStatus`.
    ///
    /// Argument parser's own `main()` maps every error it does not know to exit code 1; this
    /// maps the engine's, the query language's and the importer's errors to the documented codes
    /// and leaves help, usage errors and `ExitCode`s to argument parser.
    static func runAsMain() async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            if let failure = CommandFailure(error) {
                if !failure.message.isEmpty { Console.error(failure.message) }
                Foundation.exit(failure.status.rawValue)
            }
            exit(withError: error)
        }
    }
}

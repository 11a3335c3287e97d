// labelindex: the command-line tool of LabelIndex.
//
// This target owns the command-line face of the project: loading data (`import`, `export`),
// looking at it (`query`, `labels`, `assets`, `stats`, `check`), and running the HTTP server and
// its API keys (`serve`, `keys`). It adds no engine logic: every command is a thin layer over
// LabelIndex, LabelQuery, LabelInterchange and LabelServer, plus the terminal output (tables,
// progress) and the exit codes of LabelCommandLine. Benchmarks live in `labelindex-bench`, so
// this tool links no SQLite.

import ArgumentParser
import Foundation
import LabelCommandLine
import LabelInterchange
import LabelServer

struct LabelIndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labelindex",
        abstract: "Load, query and serve a LabelIndex label store.",
        discussion: """
            Every command works on the store in --data-dir (default ./data). Commands that \
            write create it on first use; commands that only read fail when it does not exist.

            Quick start:
              labelindex import assets.ndjson           load NDJSON (or CSV) files
              labelindex query 'label:prod -label:reviewed'
              labelindex labels tree                    the label hierarchy with counts
              labelindex serve                          the HTTP APIs on 127.0.0.1:8080

            Exit codes:
              0   success
              1   operational failure (storage, I/O, the server could not start)
              2   bad input: query syntax error; unknown label, asset, key or
                  namespace; unreadable file; invalid name; a bad line with
                  import --on-error stop
              3   inconsistency: `check` found one
              4   `import` finished but skipped bad lines (--on-error skip)
              64  usage error: unknown command or option, invalid option value

            Shell completions: labelindex --generate-completion-script bash|zsh|fish
            """,
        version: "0.1.0",
        subcommands: [
            ServeCommand.self, ImportCommand.self, ExportCommand.self, QueryCommand.self, LabelsCommand.self,
            AssetsCommand.self, StatsCommand.self, CheckCommand.self, KeysCommand.self, ClusterCommand.self,
        ])

    /// Exit codes for the errors of the libraries only this tool uses (`CommandFailure`
    /// classifies the engine's and the query language's).
    static func classify(_ error: any Error) -> CommandFailure? {
        switch error {
        case let error as ImportError: .badInput(error.description)
        case let error as APIKeyStoreError: .badInput(error.description)
        case let error as NDJSONWriterError: .failure(error.description)
        case let error as InterchangeIOError: .failure(error.description)
        default: nil
        }
    }
}

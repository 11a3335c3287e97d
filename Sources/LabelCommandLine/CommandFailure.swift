import ArgumentParser
import Foundation
import LabelIndex
import LabelQuery

/// The process exit codes, documented in the root command's help.
package enum ExitStatus: Int32 {
    case success = 0
    /// Storage, I/O, or the server could not start.
    case failure = 1
    /// The input was wrong: query syntax, unknown label/asset/key, unreadable file, bad name.
    case badInput = 2
    /// `labelindex check` found an inconsistency, or `labelindex-bench run` saw the systems disagree.
    case inconsistent = 3
    /// `import` finished but skipped bad lines.
    case skippedLines = 4
    /// Argument parser's usage errors (`EX_USAGE`); listed here for completeness.
    case usage = 64
}

/// An error with the message to print and the exit status to end with. Commands throw it for
/// their own failures; `init?(_:)` classifies the libraries' errors.
package struct CommandFailure: Error {
    package var status: ExitStatus
    /// The complete text for stderr (already prefixed with `error: ` where that applies).
    package var message: String

    package init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A bad-input failure: `error: <reason>`.
    package static func badInput(_ reason: String) -> CommandFailure { CommandFailure(.badInput, "error: \(reason)") }

    /// An operational failure: `error: <reason>`.
    package static func failure(_ reason: String) -> CommandFailure { CommandFailure(.failure, "error: \(reason)") }

    /// The failure for an engine, query or system error, or `nil` for anything else (the
    /// executable's own classifier, then argument parser: help, usage, `ExitCode`).
    package init?(_ error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure
        case let error as LabelIndexError: self.init(Self.status(of: error), "error: \(error)")
        case let error as QueryError: self = .badInput(error.description)
        case is CocoaError, is POSIXError: self = .failure(error.localizedDescription)
        default: return nil
        }
    }

    private static func status(of error: LabelIndexError) -> ExitStatus {
        error.isCausedByInput ? .badInput : .failure
    }
}

extension AsyncParsableCommand {
    /// Parses the command line, runs the command and exits with its `ExitStatus`.
    ///
    /// Argument parser's own `main()` maps every error it does not know to exit code 1; this
    /// maps the engine's and the query language's errors, then whatever `classify` knows (the
    /// executable's own libraries), to the documented codes and leaves help, usage errors and
    /// `ExitCode`s to argument parser.
    package static func runAsMain(classifying classify: (any Error) -> CommandFailure? = { _ in nil }) async -> Never {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(ExitStatus.success.rawValue)
        } catch {
            if let failure = CommandFailure(error) ?? classify(error) {
                if !failure.message.isEmpty { Console.error(failure.message) }
                Foundation.exit(failure.status.rawValue)
            }
            exit(withError: error)
        }
    }
}

import Foundation
import LabelBench
import LabelIndex
import LabelInterchange
import LabelQuery
import LabelServer

/// The process exit codes, documented in the root command's help.
enum ExitStatus: Int32 {
    case success = 0
    /// Storage, I/O, or the server could not start.
    case failure = 1
    /// The input was wrong: query syntax, unknown label/asset/key, unreadable file, bad name.
    case badInput = 2
    /// `check` found an inconsistency, or `bench run` saw the systems disagree.
    case inconsistent = 3
    /// `import` finished but skipped bad lines.
    case skippedLines = 4
    /// Argument parser's usage errors (`EX_USAGE`); listed here for completeness.
    case usage = 64
}

/// An error with the message to print and the exit status to end with. Commands throw it for
/// their own failures; `init?(_:)` classifies the libraries' errors.
struct CommandFailure: Error {
    var status: ExitStatus
    /// The complete text for stderr (already prefixed with `error: ` where that applies).
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    /// A bad-input failure: `error: <reason>`.
    static func badInput(_ reason: String) -> CommandFailure { CommandFailure(.badInput, "error: \(reason)") }

    /// An operational failure: `error: <reason>`.
    static func failure(_ reason: String) -> CommandFailure { CommandFailure(.failure, "error: \(reason)") }

    /// The failure for a library error, or `nil` for errors argument parser handles itself
    /// (help, usage, `ExitCode`).
    init?(_ error: any Error) {
        switch error {
        case let failure as CommandFailure: self = failure
        case let error as LabelIndexError: self.init(Self.status(of: error), "error: \(error)")
        case let error as QueryError: self = .badInput(error.description)
        case let error as ImportError: self = .badInput(error.description)
        case let error as WorkloadError: self = .badInput(error.description)
        case let error as APIKeyStoreError: self = .badInput(error.description)
        case let error as NDJSONWriterError: self = .failure(error.description)
        case let error as InterchangeIOError: self = .failure(error.description)
        case let error as SQLiteError: self = .failure(error.description)
        case is CocoaError, is POSIXError: self = .failure(error.localizedDescription)
        default: return nil
        }
    }

    private static func status(of error: LabelIndexError) -> ExitStatus {
        switch error {
        case .invalidLabelName, .invalidNamespaceName, .invalidAssetKey, .invalidAssetType, .valueTooLarge,
            .invalidWeight, .assetNotFound, .labelNotFound, .labelNameNotFound, .labelAlreadyExists,
            .hierarchyCycle, .hierarchyTooDeep:
            .badInput
        case .labelIDsExhausted, .assetCapacityReached, .corrupted, .unsupportedSchema, .storage:
            .failure
        }
    }
}

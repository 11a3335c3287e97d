import LabelIndex

/// How `Importer` loads files.
public struct ImportConfiguration: Sendable {
    /// What to do with a line that cannot be imported.
    public enum ErrorPolicy: Sendable, Hashable {
        /// Skip it, count it, report it with its file and line; import the rest.
        case skip
        /// Stop at it. The import is then one transaction: nothing of it is written.
        case stop
    }

    /// The file format; `nil` picks it per file from the extension (`.csv` is CSV, anything
    /// else NDJSON).
    public enum Format: Sendable, Hashable {
        case ndjson
        case csv
    }

    public var namespace: Namespace = .default
    public var onError: ErrorPolicy = .skip
    public var format: Format?
    /// With `.skip`, the import commits every this many assets, so a huge file needs bounded
    /// memory and a crash keeps what was committed (re-running the import is idempotent).
    public var batchSize: Int = 1_000_000
    /// The first this many bad lines are kept in the report; all are counted.
    public var maximumReportedErrors: Int = 100
    public var options: ImportOptions = ImportOptions()
    /// Tests turn this off to force transactions to grow the map and run again.
    var reservesCapacity = true

    public init() {}
}

/// Where an import stands, for progress displays.
public struct ImportProgress: Sendable {
    public var file: String
    public var bytesRead: Int
    /// Bytes of every input known in advance (`nil` when one is a pipe).
    public var totalBytes: Int?
    public var lines: Int
    public var assets: Int
    public var badLines: Int
}

/// What an import did.
public struct ImportReport: Sendable {
    public var files: [String] = []
    public var lines = 0
    public var assetsCreated = 0
    public var assetsUpdated = 0
    public var assetsUnchanged = 0
    public var labelsDefined = 0
    public var labelsCreated = 0
    public var badLines = 0
    /// The first `maximumReportedErrors` bad lines, in input order.
    public var errors: [ImportLineError] = []
    public var bytes = 0
    public var seconds = 0.0

    public var assets: Int { assetsCreated + assetsUpdated + assetsUnchanged }
}

/// A line that was not imported: its place and why.
public struct ImportLineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    /// The reader's reason, or the engine's (an asset id or label the engine rejects).
    public var reason: String

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}

/// Why an import stopped.
public enum ImportError: Error, CustomStringConvertible {
    /// With `.stop`, the first bad line; nothing was imported.
    case badLine(ImportLineError)
    /// A file could not be read.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .badLine(let error): "\(error) (nothing was imported)"
        case .unreadable(let file, let reason): "cannot read \(file): \(reason)"
        }
    }
}

/// What the NDJSON and CSV readers have in common: records streamed in file order, label names
/// interned as they are read, and progress in bytes.
public protocol RecordReader: AnyObject {
    /// The name used in `LineError.file`.
    var fileName: String { get }
    /// All label names seen so far in delivered records; `AssetRecord.labels` index into its
    /// `names`.
    var interner: LabelInterner { get }
    /// Bytes read from the source so far, for progress reports against `totalBytes`.
    var bytesRead: Int { get }
    /// The size of the input if known in advance (regular files and in-memory data).
    var totalBytes: Int? { get }

    /// Calls `body` once per record, in file order, with the decoded record or the reason it was
    /// rejected, and the line number where the record starts. Rejected records change nothing
    /// (not even the interner). To stop early, throw from `body`: a later call resumes after
    /// that record. Errors reading the source are thrown as `InterchangeIOError`.
    func forEachNumberedRecord(_ body: (Result<InterchangeRecord, LineError>, Int) throws -> Void) throws
}

extension RecordReader {
    /// `forEachNumberedRecord` without the line numbers.
    public func forEachRecord(_ body: (Result<InterchangeRecord, LineError>) throws -> Void) throws {
        try forEachNumberedRecord { result, _ in try body(result) }
    }
}

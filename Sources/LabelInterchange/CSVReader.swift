/// Streams the records of a CSV import file (RFC 4180; format: LabelInterchange.docc/FORMAT.md).
///
/// The first non-blank record is the header. A header with an `id` column makes an assets file
/// (`id,name,labels,…`), one with a `label` column a label definitions file
/// (`label,color,parent,weight`). Fields may be quoted, with `""` for a quote and line breaks or
/// commas inside; lines may end in `\n` or `\r\n`; blank lines are skipped.
public final class CSVReader: RecordReader {
    public let fileName: String
    /// The settings the reader was created with.
    public let options: ImportOptions
    private let buffer: BlockBuffer
    private var decoder: CSVRecordDecoder
    private var cursor = 0
    private var isSkippingLongLine = false
    /// A header that could not be read: every later call throws it again.
    private var headerError: LineError?

    /// The number of physical lines consumed so far.
    public private(set) var lineNumber = 0

    /// The kind of records in the file, known once the header has been read.
    public var kind: RecordKind? { decoder.kind }

    // The `RecordReader` requirements, documented there.
    public var interner: LabelInterner { decoder.labels.interner }
    public var bytesRead: Int { buffer.bytesRead }
    public var totalBytes: Int? { buffer.source.size }

    /// A reader of the file at `path`. Pass the interner of a previous reader to share label indices
    /// across files.
    public convenience init(
        fileAt path: String, options: ImportOptions = ImportOptions(), interner: LabelInterner = LabelInterner()
    ) throws {
        self.init(source: try ByteSource(path: path), options: options, interner: interner)
    }

    /// A reader of an open file descriptor, such as standard input; the descriptor is not closed.
    public convenience init(
        fileDescriptor: Int32, name: String, options: ImportOptions = ImportOptions(),
        interner: LabelInterner = LabelInterner()
    ) {
        self.init(source: ByteSource(fileDescriptor: fileDescriptor, name: name), options: options, interner: interner)
    }

    /// A reader of bytes in memory; `name` appears in errors.
    public convenience init(
        bytes: [UInt8], name: String = "<memory>", options: ImportOptions = ImportOptions(),
        interner: LabelInterner = LabelInterner()
    ) {
        self.init(source: ByteSource(bytes: bytes, name: name), options: options, interner: interner)
    }

    init(source: ByteSource, options: ImportOptions, interner: LabelInterner) {
        fileName = source.name
        self.options = options
        buffer = BlockBuffer(
            source: source, blockSize: options.blockSize, capacityLimit: min(options.maximumLineBytes, Int.max / 4) * 2)
        decoder = CSVRecordDecoder(options: options, interner: interner)
    }

    /// Calls `body` once per record after the header (see `RecordReader`), with the line where the
    /// record starts; `lineNumber` itself is only brought up to date when the loop exits. A bad
    /// header makes the whole file unreadable, so it is thrown as a `LineError` rather than passed
    /// to `body`.
    public func forEachNumberedRecord(_ body: (Result<InterchangeRecord, LineError>, Int) throws -> Void) throws {
        if let headerError { throw headerError }
        var cursor = self.cursor
        var lineNumber = self.lineNumber
        defer {
            self.cursor = cursor
            self.lineNumber = lineNumber
        }
        while true {
            let base = buffer.base
            let end = buffer.end
            if isSkippingLongLine {
                guard let lineFeed = firstLineFeed(base, from: cursor, to: end) else {
                    cursor = end
                    if try buffer.refill(keepingFrom: cursor) == .endOfInput { return }
                    cursor = 0
                    continue
                }
                cursor = lineFeed + 1
                isSkippingLongLine = false
            }
            while let (lineFeed, innerLineFeeds) = CSVFields.recordEnd(base, from: cursor, to: end) {
                let start = cursor
                cursor = lineFeed + 1
                let firstLine = lineNumber + 1
                lineNumber += 1 + innerLineFeeds
                try deliver(UnsafeRawBufferPointer(start: base + start, count: lineFeed - start), firstLine, body)
            }
            switch try buffer.refill(keepingFrom: cursor) {
            case .read:
                cursor = 0
            case .endOfInput:
                let last = UnsafeRawBufferPointer(start: buffer.base, count: buffer.end)
                cursor = buffer.end
                guard !last.isEmpty else { return }
                let firstLine = lineNumber + 1
                lineNumber += 1 + last.count { $0 == 0x0A }
                try deliver(last, firstLine, body)
                return
            case .full:
                cursor = 0
                buffer.discardAll()
                isSkippingLongLine = true
                lineNumber += 1
                let tooLong = LineError(
                    file: fileName, line: lineNumber, column: 1,
                    reason: .lineTooLong(limit: options.maximumLineBytes))
                try body(.failure(tooLong), lineNumber)
            }
        }
    }

    private func deliver(
        _ record: UnsafeRawBufferPointer, _ line: Int,
        _ body: (Result<InterchangeRecord, LineError>, Int) throws -> Void
    ) throws {
        var record = record
        var columnBias = 0
        if line == 1 && record.starts(with: [0xEF, 0xBB, 0xBF]) {
            record = UnsafeRawBufferPointer(rebasing: record[3...])
            columnBias = 3
        }
        if record.last == 0x0D { record = UnsafeRawBufferPointer(rebasing: record.dropLast()) }
        if record.isEmpty { return }
        func lineError(_ failure: RecordFailure) -> LineError {
            LineError(file: fileName, line: line, column: failure.offset + 1 + columnBias, reason: failure.reason)
        }
        guard record.count <= options.maximumLineBytes else {
            try body(
                .failure(lineError(RecordFailure(offset: 0, reason: .lineTooLong(limit: options.maximumLineBytes)))),
                line)
            return
        }
        let isHeader = decoder.kind == nil
        switch decoder.decode(record) {
        case .success(.header): return
        case .success(.asset(let asset)): try body(.success(.asset(asset)), line)
        case .success(.label(let label)): try body(.success(.label(label)), line)
        case .failure(let failure):
            if isHeader {
                headerError = lineError(failure)
                throw lineError(failure)
            }
            try body(.failure(lineError(failure)), line)
        }
    }
}

/// Streams the records of an NDJSON import file (format: LabelInterchange.docc/FORMAT.md).
///
/// One JSON object per line: an asset (`{"id": 1, "name": "…", "labels": ["prod", "api"]}`) or a
/// label definition (`{"label": "prod", "color": "#1F77B4", "parent": "env"}`). Blank lines and
/// `\r\n` line ends are accepted, as is a UTF-8 byte order mark at the start of the file.
///
/// The file is read in blocks of `ImportOptions.blockSize`, so memory stays bounded whatever its
/// size; label names are interned into `interner` straight from the input bytes.
///
/// ```swift
/// let reader = try NDJSONReader(fileAt: "assets.ndjson")
/// var failures = 0
/// try reader.forEachRecord { result in
///     switch result {
///     case .success(.asset(let asset)): load(asset, labelNames: reader.interner.names)
///     case .success(.label(let label)): define(label)
///     case .failure(let error): failures += 1; print(error)  // or `throw error` to stop
///     }
/// }
/// ```
public final class NDJSONReader: RecordReader {
    public let fileName: String
    /// The settings the reader was created with.
    public let options: ImportOptions
    private let buffer: BlockBuffer
    /// Accessed once per line; exempt from dynamic exclusivity checks, which cost more than the
    /// access itself. Safe because only `forEachRecord` mutates it, never reentrantly: `body`
    /// can reach it only through the read-only `interner`.
    @exclusivity(unchecked) private var decoder: NDJSONRecordDecoder
    /// The start of the first unconsumed line in the buffer.
    private var cursor = 0
    /// Set while skipping the rest of a line longer than `maximumLineBytes`.
    private var isSkippingLongLine = false

    /// The number of the last line handed to the callback (1-based; 0 before the first).
    public private(set) var lineNumber = 0

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
            source: source, blockSize: options.blockSize,
            capacityLimit: min(options.maximumLineBytes, Int.max / 4) * 2)
        decoder = NDJSONRecordDecoder(options: options, interner: interner)
    }

    /// Calls `body` once per non-blank line (see `RecordReader`) with its line number;
    /// `lineNumber` itself is only brought up to date when the loop exits.
    public func forEachNumberedRecord(_ body: (Result<InterchangeRecord, LineError>, Int) throws -> Void) throws {
        // The loop works on locals, which cost nothing per line, and writes them back on every
        // exit: an error thrown by `body` must leave the reader ready to resume.
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
            while cursor < end {
                // Most lines take the quick path, which finds the line feed as it decodes; the
                // first line is left to `deliver` in case it starts with a byte order mark.
                if lineNumber > 0,
                    let length = decoder.decodeCommonLine(
                        UnsafeRawBufferPointer(start: base + cursor, count: end - cursor))
                {
                    cursor += length + 1
                    lineNumber += 1
                    try body(.success(.asset(decoder.asset)), lineNumber)
                    continue
                }
                guard let lineFeed = firstLineFeed(base, from: cursor, to: end) else { break }
                let start = cursor
                cursor = lineFeed + 1
                lineNumber += 1
                try deliver(UnsafeRawBufferPointer(start: base + start, count: lineFeed - start), lineNumber, body)
            }
            switch try buffer.refill(keepingFrom: cursor) {
            case .read:
                cursor = 0
            case .endOfInput:
                cursor = 0
                guard buffer.end > 0 else { return }
                // The last line has no line feed.
                let length = buffer.end
                cursor = length
                lineNumber += 1
                try deliver(UnsafeRawBufferPointer(start: buffer.base, count: length), lineNumber, body)
                return
            case .full:
                // A line longer than the window can grow to: report it and skip to its end.
                cursor = 0
                buffer.discardAll()
                isSkippingLongLine = true
                lineNumber += 1
                let tooLong = RecordFailure(offset: 0, reason: .lineTooLong(limit: options.maximumLineBytes))
                try body(.failure(failure(tooLong, lineNumber)), lineNumber)
            }
        }
    }

    @inline(__always) private func deliver(
        _ line: UnsafeRawBufferPointer, _ lineNumber: Int,
        _ body: (Result<InterchangeRecord, LineError>, Int) throws -> Void
    ) throws {
        var line = line
        var columnBias = 0
        if lineNumber == 1 && line.starts(with: [0xEF, 0xBB, 0xBF]) {
            // A byte order mark is not part of the first line's JSON.
            line = UnsafeRawBufferPointer(rebasing: line[3...])
            columnBias = 3
        }
        if Self.isBlank(line) { return }
        guard line.count <= options.maximumLineBytes else {
            let tooLong = RecordFailure(offset: 0, reason: .lineTooLong(limit: options.maximumLineBytes))
            try body(.failure(failure(tooLong, lineNumber)), lineNumber)
            return
        }
        switch decoder.decode(line) {
        case .success(.asset(let asset)): try body(.success(.asset(asset)), lineNumber)
        case .success(.label(let label)): try body(.success(.label(label)), lineNumber)
        case .failure(let failure):
            try body(.failure(self.failure(failure, lineNumber, columnBias: columnBias)), lineNumber)
        }
    }

    private func failure(_ failure: RecordFailure, _ lineNumber: Int, columnBias: Int = 0) -> LineError {
        LineError(file: fileName, line: lineNumber, column: failure.offset + 1 + columnBias, reason: failure.reason)
    }

    /// Whether a line holds only spaces, tabs and carriage returns.
    @inline(__always) static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        for b in line where b != 0x20 && b != 0x09 && b != 0x0D { return false }
        return true
    }
}

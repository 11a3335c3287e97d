import Foundation
import Synchronization

/// Decodes import files on a thread of its own and hands the records over in chunks through a
/// bounded queue, so parsing (one core) overlaps with loading into the store (the other).
final class RecordProducer: @unchecked Sendable {
    /// A run of decoded lines with the label names first seen in them.
    struct Chunk: Sendable {
        var items: [Item] = []
        /// The input line of the last item: where a batch ending with this chunk stops.
        var last = Position.start
        /// Interned names beyond those of earlier chunks: `AssetRecord.labels` index into the
        /// concatenation of every chunk's `newNames`.
        var newNames: [String] = []
        var progress: ImportProgress
    }

    enum Item: Sendable {
        case record(InterchangeRecord, file: String, line: Int)
        case lineError(LineError)
        case unreadable(file: String, reason: String)
    }

    /// A line in the input: the index of its file, then its line number.
    struct Position: Comparable, Sendable {
        var file: Int
        var line: Int
        static func < (lhs: Position, rhs: Position) -> Bool { (lhs.file, lhs.line) < (rhs.file, rhs.line) }
        static let start = Position(file: 0, line: 0)
    }

    static let chunkSize = 4096
    static let queueDepth = 16

    private let condition = NSCondition()
    private var queue: [Chunk] = []
    private var finished = false
    private var cancelled = false

    /// Reads `files`, handing over only the lines after `after` (a restarted batch).
    init(files: [String], format: ImportConfiguration.Format?, options: ImportOptions, after: Position = .start) {
        let thread = Thread { [self] in produce(files: files, format: format, options: options, after: after) }
        thread.name = "labelindex-import-reader"
        thread.start()
    }

    /// The next chunk, waiting for the reader; `nil` once every file is read.
    func next() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Stops the reader; pending chunks are dropped.
    func cancel() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    private func publish(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= Self.queueDepth && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        queue.append(chunk)
        condition.broadcast()
        return true
    }

    private struct Stop: Error {}

    private func produce(files: [String], format: ImportConfiguration.Format?, options: ImportOptions, after: Position)
    {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        var interner = LabelInterner()
        var sentNames = 0
        var totalBytes: Int? = 0
        var bytesBefore = 0
        var lines = 0
        var assets = 0
        var badLines = 0
        for (fileIndex, file) in files.enumerated() {
            let source: any RecordReader
            do {
                source = try makeReader(file: file, format: format, options: options, interner: interner)
            } catch {
                _ = publish(Chunk(items: [.unreadable(file: file, reason: "\(error)")], progress: progress(file)))
                return
            }
            totalBytes = totalBytes.flatMap { total in source.totalBytes.map { total + $0 } }
            var chunk = Chunk(progress: progress(file))
            func ship() -> Bool {
                let names = source.interner.names
                chunk.newNames = Array(names[sentNames...])
                sentNames = names.count
                chunk.progress = ImportProgress(
                    file: file, bytesRead: bytesBefore + source.bytesRead, totalBytes: totalBytes, lines: lines,
                    assets: assets, badLines: badLines)
                defer { chunk = Chunk(last: chunk.last, progress: chunk.progress) }
                return publish(chunk)
            }
            do {
                try source.forEachNumberedRecord { result, line in
                    lines += 1
                    let position = Position(file: fileIndex, line: line)
                    chunk.last = position
                    guard after < position else { return }
                    switch result {
                    case .success(let record):
                        if case .asset = record { assets += 1 }
                        chunk.items.append(.record(record, file: file, line: line))
                    case .failure(let error):
                        badLines += 1
                        chunk.items.append(.lineError(error))
                    }
                    if chunk.items.count >= Self.chunkSize, !ship() { throw Stop() }
                }
            } catch is Stop {
                return
            } catch {
                chunk.items.append(.unreadable(file: file, reason: "\(error)"))
                _ = ship()
                return
            }
            guard ship() else { return }
            bytesBefore += source.bytesRead
            interner = source.interner
        }
        func progress(_ file: String) -> ImportProgress {
            ImportProgress(
                file: file, bytesRead: bytesBefore, totalBytes: totalBytes, lines: lines, assets: assets,
                badLines: badLines)
        }
    }
}

/// The reader for `file`: CSV when asked for, or by default when the name ends in `.csv`;
/// NDJSON otherwise.
private func makeReader(
    file: String, format: ImportConfiguration.Format?, options: ImportOptions, interner: LabelInterner
) throws -> any RecordReader {
    let csv = format == .csv || (format == nil && file.lowercased().hasSuffix(".csv"))
    return csv
        ? try CSVReader(fileAt: file, options: options, interner: interner)
        : try NDJSONReader(fileAt: file, options: options, interner: interner)
}

import LabelFormats
import LabelIndex

/// Why `NDJSONWriter` refused a record.
public enum NDJSONWriterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Label definitions must all come before the first asset, so that an importer knows every
    /// label's attributes before it meets the label on an asset.
    case labelsAfterAssets
    /// An asset refers to a label index outside the names it was written with.
    case labelIndexOutOfRange(Int)
    /// JSON has no representation for infinities and NaN.
    case nonFiniteWeight(Double)
    /// An asset's metadata is not a single valid JSON value.
    case invalidMetadata(JSONError)

    /// A one-line explanation for people.
    public var description: String {
        switch self {
        case .labelsAfterAssets: "label definitions must be written before the first asset"
        case .labelIndexOutOfRange(let index): "label index \(index) is not among the label names given"
        case .nonFiniteWeight(let weight): "weight \(weight) cannot be written as JSON"
        case .invalidMetadata(let error): "metadata is not valid JSON: \(error)"
        }
    }
}

/// Writes an NDJSON export file that `NDJSONReader` reads back to the same records.
///
/// Label definitions come first (`writeLabels(_:)`, parents before children), then assets
/// (`writeAsset(_:labelNames:)`). Strings are escaped minimally (quotes, backslashes, control
/// characters) with non-ASCII kept as UTF-8; doubles are written in their shortest round-trip form;
/// timestamps as RFC 3339 UTC with milliseconds (integer epoch milliseconds for years beyond 9999);
/// typed keys as a string `id` with its `type`. Output is buffered: call `close()` (or `flush()`)
/// to see write errors.
public final class NDJSONWriter {
    private let sink: ByteSink
    private var buffer: [UInt8] = []
    private let flushThreshold = 1 << 20
    private var hasWrittenAssets = false

    /// A writer that creates (or truncates) the file at `path`.
    public convenience init(fileAt path: String) throws {
        self.init(sink: try ByteSink(creatingFileAt: path))
    }

    /// A writer to an open file descriptor, such as standard output; the descriptor is not closed.
    public convenience init(fileDescriptor: Int32, name: String) {
        self.init(sink: ByteSink(fileDescriptor: fileDescriptor, name: name))
    }

    /// A writer that hands each buffered chunk of output to `output`.
    public convenience init(name: String = "<output>", output: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        self.init(sink: ByteSink(name: name, closure: output))
    }

    private init(sink: ByteSink) {
        self.sink = sink
        buffer.reserveCapacity(flushThreshold + 64 * 1024)
    }

    deinit {
        // Best effort only: `close()` is where write errors surface.
        try? flush()
    }

    /// Writes label definition lines, each label's parent before the label when both are given.
    /// Call before the first `writeAsset`.
    public func writeLabels(_ labels: [LabelRecord]) throws {
        guard !hasWrittenAssets else { throw NDJSONWriterError.labelsAfterAssets }
        for index in Self.parentsFirstOrder(labels) {
            try append(labels[index])
        }
    }

    /// Writes one asset line; `labelNames` maps the asset's label indices to names (for assets
    /// from a reader, its `interner.names`).
    public func writeAsset(_ asset: AssetRecord, labelNames: [String]) throws {
        hasWrittenAssets = true
        let lineStart = buffer.count
        do {
            try append(asset, labelNames: labelNames)
        } catch {
            buffer.removeSubrange(lineStart...)
            throw error
        }
        if buffer.count >= flushThreshold { try flush() }
    }

    /// Hands all buffered output to the destination.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try sink.write($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, and closes the file if the writer created it.
    public func close() throws {
        try flush()
        try sink.close()
    }

    private func append(_ label: LabelRecord) throws {
        if let weight = label.weight, !weight.isFinite { throw NDJSONWriterError.nonFiniteWeight(weight) }
        buffer.append(contentsOf: #"{"label":"#.utf8)
        JSONOutput.appendQuoted(label.name, to: &buffer)
        if let color = label.color {
            buffer.append(contentsOf: #","color":"#.utf8)
            JSONOutput.appendQuoted(color, to: &buffer)
        }
        if let parent = label.parent {
            buffer.append(contentsOf: #","parent":"#.utf8)
            JSONOutput.appendQuoted(parent, to: &buffer)
        }
        if let weight = label.weight {
            buffer.append(contentsOf: #","weight":"#.utf8)
            JSONOutput.append(weight, to: &buffer)
        }
        buffer.append(contentsOf: "}\n".utf8)
        if buffer.count >= flushThreshold { try flush() }
    }

    private func append(_ asset: AssetRecord, labelNames: [String]) throws {
        switch asset.key {
        case .int(let id):
            buffer.append(contentsOf: #"{"id":"#.utf8)
            JSONOutput.append(id, to: &buffer)
        case .typed(let type, let id):
            buffer.append(contentsOf: #"{"id":"#.utf8)
            JSONOutput.appendQuoted(id, to: &buffer)
            buffer.append(contentsOf: #","type":"#.utf8)
            JSONOutput.appendQuoted(type, to: &buffer)
        }
        buffer.append(contentsOf: #","name":"#.utf8)
        JSONOutput.appendQuoted(asset.name, to: &buffer)
        if let assetType = asset.assetType {
            buffer.append(contentsOf: #","asset_type":"#.utf8)
            JSONOutput.appendQuoted(assetType, to: &buffer)
        }
        if let createdAt = asset.createdAt {
            buffer.append(contentsOf: #","created_at":"#.utf8)
            appendTimestamp(createdAt)
        }
        if let updatedAt = asset.updatedAt {
            buffer.append(contentsOf: #","updated_at":"#.utf8)
            appendTimestamp(updatedAt)
        }
        buffer.append(contentsOf: #","labels":["#.utf8)
        for (i, (label, weight)) in asset.labels.enumerated() {
            guard labelNames.indices.contains(label) else { throw NDJSONWriterError.labelIndexOutOfRange(label) }
            if i > 0 { buffer.append(UInt8(ascii: ",")) }
            guard let weight else {
                JSONOutput.appendQuoted(labelNames[label], to: &buffer)
                continue
            }
            guard weight.isFinite else { throw NDJSONWriterError.nonFiniteWeight(weight) }
            buffer.append(contentsOf: #"{"name":"#.utf8)
            JSONOutput.appendQuoted(labelNames[label], to: &buffer)
            buffer.append(contentsOf: #","weight":"#.utf8)
            JSONOutput.append(weight, to: &buffer)
            buffer.append(UInt8(ascii: "}"))
        }
        buffer.append(UInt8(ascii: "]"))
        if let metadata = asset.metadata {
            buffer.append(contentsOf: #","metadata":"#.utf8)
            try appendMetadata(metadata)
        }
        buffer.append(contentsOf: "}\n".utf8)
    }

    private func appendTimestamp(_ milliseconds: Int64) {
        buffer.append(UInt8(ascii: "\""))
        if Timestamp.appendRFC3339(epochMilliseconds: milliseconds, to: &buffer) {
            buffer.append(UInt8(ascii: "\""))
        } else {
            buffer.removeLast()
            JSONOutput.append(milliseconds, to: &buffer)
        }
    }

    /// Appends metadata verbatim, except that line breaks become spaces: outside strings they are
    /// whitespace (inside strings JSON forbids them), and NDJSON needs the line whole.
    private func appendMetadata(_ metadata: [UInt8]) throws {
        do throws(JSONError) {
            try metadata.withUnsafeBytes { bytes in Result { () throws(JSONError) in try JSONScanner.validate(bytes) } }
                .get()
        } catch {
            throw NDJSONWriterError.invalidMetadata(error)
        }
        for b in metadata {
            buffer.append(b == 0x0A || b == 0x0D ? UInt8(ascii: " ") : b)
        }
    }

    /// The indices of `labels` reordered so that a label's parent (named by its path), when
    /// among them, comes first; otherwise the given order is kept. A parent's path is shorter
    /// than its child's, so the climb always ends.
    static func parentsFirstOrder(_ labels: [LabelRecord]) -> [Int] {
        var indexByPath: [String: Int] = [:]
        for (i, label) in labels.enumerated() { indexByPath[LabelPath.path(of: label.name, under: label.parent)] = i }
        var written = Array(repeating: false, count: labels.count)
        var order: [Int] = []
        order.reserveCapacity(labels.count)
        var path: [Int] = []
        for start in labels.indices where !written[start] {
            // Climb to the first ancestor already written (or a root), then write downwards.
            var current: Int? = start
            while let index = current, !written[index], !path.contains(index) {
                path.append(index)
                current = labels[index].parent.flatMap { indexByPath[$0] }
            }
            for index in path.reversed() {
                written[index] = true
                order.append(index)
            }
            path.removeAll(keepingCapacity: true)
        }
        return order
    }
}

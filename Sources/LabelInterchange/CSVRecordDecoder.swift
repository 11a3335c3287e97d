import LabelFormats
import LabelIndex

/// Gives CSV rows their meaning: the header decides the file's kind and column order, and each
/// later row becomes an `AssetRecord` or a `LabelRecord` (see LabelInterchange.docc/FORMAT.md).
struct CSVRecordDecoder {
    /// The columns the format defines.
    enum Column: Int, CaseIterable {
        case id, type, assetType, name, labels, labelWeights, createdAt, updatedAt, metadata
        case label, color, parent, weight

        var name: String {
            switch self {
            case .id: "id"
            case .type: "type"
            case .assetType: "asset_type"
            case .name: "name"
            case .labels: "labels"
            case .labelWeights: "label_weights"
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .metadata: "metadata"
            case .label: "label"
            case .color: "color"
            case .parent: "parent"
            case .weight: "weight"
            }
        }

        var fileKind: RecordKind { rawValue >= Column.label.rawValue ? .label : .asset }
    }

    enum Outcome {
        case header
        case asset(AssetRecord)
        case label(LabelRecord)
    }

    let options: ImportOptions
    var labels: LabelCollector
    /// The kind of the file, set by the header.
    private(set) var kind: RecordKind?
    /// For each `Column`, the index of its field in a row, if the header has it.
    private var fieldIndex: [Int?] = Array(repeating: nil, count: Column.allCases.count)
    private var headerCount = 0
    private var fields = CSVFields()
    private var asset = AssetRecord(key: .int(0))
    private var scratch: [UInt8] = []

    init(options: ImportOptions, interner: LabelInterner) {
        self.options = options
        labels = LabelCollector(interner: interner, maximumNameBytes: options.maximumLabelNameBytes)
    }

    /// Decodes one non-blank record; the first one is the header.
    mutating func decode(_ record: UnsafeRawBufferPointer) -> Result<Outcome, RecordFailure> {
        labels.beginRecord()
        do throws(RecordFailure) {
            if let invalid = UTF8Validation.firstInvalidOffset(in: record) {
                throw RecordFailure(offset: invalid, reason: .malformedCSV("invalid UTF-8"))
            }
            try fields.split(record)
            guard let kind else {
                try readHeader()
                return .success(.header)
            }
            guard fields.count == headerCount else {
                throw RecordFailure(offset: 0, reason: .wrongFieldCount(expected: headerCount, found: fields.count))
            }
            // A local copy of the fields lets the row be read while `self` changes.
            let fields = self.fields
            let outcome = try fields.bytes.withUnsafeBytes { bytes in
                Result { () throws(RecordFailure) -> Outcome in
                    let row = Row(fields: fields, bytes: bytes, fieldIndex: fieldIndex)
                    return kind == .asset ? .asset(try decodeAsset(row)) : .label(try decodeLabel(row))
                }
            }.get()
            return .success(outcome)
        } catch {
            labels.abandonRecord()
            return .failure(error)
        }
    }

    private mutating func readHeader() throws(RecordFailure) {
        let names = (0..<fields.count).map { i in
            fields.bytes.withUnsafeBytes {
                String(decoding: UnsafeRawBufferPointer(rebasing: $0[fields.ranges[i]]), as: UTF8.self)
            }
        }
        let fileKind: RecordKind
        if names.contains("id") {
            fileKind = .asset
        } else if names.contains("label") {
            fileKind = .label
        } else {
            throw RecordFailure(
                offset: 0,
                reason: .invalidHeader("needs an \"id\" column (assets) or a \"label\" column (label definitions)"))
        }
        for (i, name) in names.enumerated() {
            guard let column = Column.allCases.first(where: { $0.name == name && $0.fileKind == fileKind }) else {
                if options.ignoresUnknownKeys { continue }
                throw RecordFailure(offset: fields.offsets[i], reason: .unknownKey(name))
            }
            guard fieldIndex[column.rawValue] == nil else {
                throw RecordFailure(offset: fields.offsets[i], reason: .duplicateKey(name))
            }
            fieldIndex[column.rawValue] = i
        }
        headerCount = names.count
        kind = fileKind
    }

    /// One row's fields, looked up by column.
    private struct Row {
        let fields: CSVFields
        let bytes: UnsafeRawBufferPointer
        let fieldIndex: [Int?]

        /// The unquoted bytes of `column` (empty if the header lacks it).
        subscript(_ column: Column) -> UnsafeRawBufferPointer {
            guard let i = fieldIndex[column.rawValue] else { return UnsafeRawBufferPointer(start: nil, count: 0) }
            return UnsafeRawBufferPointer(rebasing: bytes[fields.ranges[i]])
        }

        func offset(of column: Column) -> Int {
            fieldIndex[column.rawValue].map { fields.offsets[$0] } ?? 0
        }

        func string(_ column: Column) -> String { String(decoding: self[column], as: UTF8.self) }

        func invalid(_ column: Column, expected: String) -> RecordFailure {
            RecordFailure(offset: offset(of: column), reason: .invalidValue(key: column.name, expected: expected))
        }
    }

    private mutating func decodeAsset(_ row: Row) throws(RecordFailure) -> AssetRecord {
        let type = row[.type]
        if type.isEmpty {
            guard let id = Self.int64(row[.id]) else {
                throw row.invalid(.id, expected: "an integer within the Int64 range (or give a type for a string id)")
            }
            asset.key = .int(id)
        } else {
            guard !row[.id].isEmpty else { throw row.invalid(.id, expected: "a non-empty string when a type is given") }
            asset.key = .typed(type: row.string(.type), id: row.string(.id))
        }
        asset.name = row.string(.name)
        asset.assetType = row[.assetType].isEmpty ? nil : row.string(.assetType)
        asset.createdAt = try Self.timestamp(row, .createdAt)
        asset.updatedAt = try Self.timestamp(row, .updatedAt)
        if row[.metadata].isEmpty {
            asset.metadata = nil
        } else {
            do throws(JSONError) {
                try JSONScanner.validate(row[.metadata], maximumDepth: options.maximumNestingDepth)
            } catch {
                // The field's start: offsets inside a quoted field would not match the line.
                throw RecordFailure(offset: row.offset(of: .metadata), reason: .malformedJSON(error.reason))
            }
            asset.metadata = Array(row[.metadata])
        }
        asset.labels.removeAll(keepingCapacity: true)
        try readLabels(row)
        return asset
    }

    /// Reads the `labels` cell (`|`-separated names, `\|` and `\\` escaped) and the optional
    /// `label_weights` cell (`|`-separated numbers or empty items, one per label).
    private mutating func readLabels(_ row: Row) throws(RecordFailure) {
        let cell = row[.labels]
        let offset = row.offset(of: .labels)
        var p = 0
        while !cell.isEmpty {
            scratch.removeAll(keepingCapacity: true)
            while p < cell.count && cell[p] != UInt8(ascii: "|") {
                if cell[p] == UInt8(ascii: "\\") {
                    guard p + 1 < cell.count, cell[p + 1] == UInt8(ascii: "|") || cell[p + 1] == UInt8(ascii: "\\")
                    else {
                        throw row.invalid(
                            .labels, expected: "label names separated by | (inside a name write \\| and \\\\)")
                    }
                    p += 1
                }
                scratch.append(cell[p])
                p += 1
            }
            let name = scratch
            let index = try name.withUnsafeBytes { bytes in
                Result { () throws(RecordFailure) in try labels.add(bytes, at: offset) }
            }.get()
            asset.labels.append((index, nil))
            // A separator at the very end leaves an empty last name, which `add` rejects.
            guard p < cell.count else { break }
            p += 1
        }

        let weights = row[.labelWeights]
        guard !weights.isEmpty else { return }
        let items = weights.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        guard items.count == asset.labels.count else {
            throw row.invalid(.labelWeights, expected: "one item per label (\(asset.labels.count)), separated by |")
        }
        for (i, item) in items.enumerated() where !item.isEmpty {
            guard let weight = Self.double(UnsafeRawBufferPointer(rebasing: item)) else {
                throw row.invalid(.labelWeights, expected: "numbers or empty items separated by |")
            }
            asset.labels[i].weight = weight
        }
    }

    private func decodeLabel(_ row: Row) throws(RecordFailure) -> LabelRecord {
        try checkLabelName(row[.label], at: row.offset(of: .label))
        var record = LabelRecord(name: row.string(.label))
        if !row[.color].isEmpty {
            guard LabelRecord.isValidColor(row[.color]) else {
                throw row.invalid(.color, expected: "a colour as #RRGGBB")
            }
            record.color = row.string(.color)
        }
        if !row[.parent].isEmpty {
            try checkLabelName(row[.parent], at: row.offset(of: .parent))
            record.parent = row.string(.parent)
        }
        if !row[.weight].isEmpty {
            guard let weight = Self.double(row[.weight]) else { throw row.invalid(.weight, expected: "a number") }
            record.weight = weight
        }
        return record
    }

    private func checkLabelName(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws(RecordFailure) {
        if let problem = NameRule.violation(ofUTF8: bytes, limit: options.maximumLabelNameBytes) {
            throw RecordFailure(
                offset: offset,
                reason: .invalidLabelName(name: String(decoding: bytes, as: UTF8.self), problem: problem))
        }
    }

    private static func timestamp(_ row: Row, _ column: Column) throws(RecordFailure) -> Int64? {
        let cell = row[column]
        if cell.isEmpty { return nil }
        if let milliseconds = int64(cell) ?? Timestamp.epochMilliseconds(rfc3339: cell) { return milliseconds }
        throw row.invalid(column, expected: NDJSONRecordDecoder.timestampExpectation)
    }

    /// An integer written as in JSON (no surrounding spaces), or `nil`.
    static func int64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var scanner = JSONScanner(bytes)
        guard startsNumber(bytes), let value = try? scanner.readInt64(), scanner.offset == bytes.count else {
            return nil
        }
        return value
    }

    /// A number written as in JSON (no surrounding spaces), or `nil`.
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var scanner = JSONScanner(bytes)
        guard startsNumber(bytes), let value = try? scanner.readDouble(), scanner.offset == bytes.count else {
            return nil
        }
        return value
    }

    private static func startsNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first else { return false }
        return first == UInt8(ascii: "-") || JSONScanner.isDigit(first)
    }
}

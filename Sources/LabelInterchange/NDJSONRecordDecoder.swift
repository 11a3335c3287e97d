import LabelIndex

/// Decodes one NDJSON line into an `AssetRecord` or a `LabelRecord` (see LabelInterchange.docc/FORMAT.md).
///
/// The decoder is reused for every line of a file: it keeps the interner, a scratch buffer for
/// escaped strings and the storage of the last asset, so a typical line allocates only its name.
struct NDJSONRecordDecoder {
    enum Outcome {
        case asset(AssetRecord)
        case label(LabelRecord)
    }

    /// The keys the format defines.
    enum Field: UInt16 {
        case id, type, assetType, name, createdAt, updatedAt, metadata, labels
        case label, color, parent, weight

        var key: String {
            switch self {
            case .id: "id"
            case .type: "type"
            case .assetType: "asset_type"
            case .name: "name"
            case .createdAt: "created_at"
            case .updatedAt: "updated_at"
            case .metadata: "metadata"
            case .labels: "labels"
            case .label: "label"
            case .color: "color"
            case .parent: "parent"
            case .weight: "weight"
            }
        }

        /// The kind of line the key belongs to; `name` belongs to both (an asset's name, or
        /// the label a line without `id` defines).
        var lineKind: RecordKind? {
            if self == .name { return nil }
            return rawValue >= Field.label.rawValue ? .label : .asset
        }

        /// The field named by the (unescaped) key bytes, found by length and then by content
        /// compared as one or two integers.
        @inline(__always) init?(key: UnsafeRawBufferPointer) {
            guard let p = key.baseAddress else { return nil }
            @inline(__always) func matches(_ literal: StaticString) -> Bool { Self.equal(p, literal) }
            switch key.count {
            case 2 where matches("id"): self = .id
            case 4 where matches("name"): self = .name
            case 4 where matches("type"): self = .type
            case 5 where matches("label"): self = .label
            case 5 where matches("color"): self = .color
            case 6 where matches("labels"): self = .labels
            case 6 where matches("parent"): self = .parent
            case 6 where matches("weight"): self = .weight
            case 8 where matches("metadata"): self = .metadata
            case 10 where matches("asset_type"): self = .assetType
            case 10 where matches("created_at"): self = .createdAt
            case 10 where matches("updated_at"): self = .updatedAt
            default: return nil
            }
        }

        /// Whether the bytes at `p` equal `literal` (of 2, 4, 5, 6, 8 or 10 bytes), compared as
        /// whole integers.
        @inline(__always) static func equal(_ p: UnsafeRawPointer, _ literal: StaticString) -> Bool {
            let q = UnsafeRawPointer(literal.utf8Start)
            @inline(__always) func same<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> Bool {
                p.loadUnaligned(fromByteOffset: offset, as: T.self)
                    == q.loadUnaligned(fromByteOffset: offset, as: T.self)
            }
            switch literal.utf8CodeUnitCount {
            case 2: return same(UInt16.self, at: 0)
            case 4: return same(UInt32.self, at: 0)
            case 5: return same(UInt32.self, at: 0) && same(UInt8.self, at: 4)
            case 6: return same(UInt32.self, at: 0) && same(UInt16.self, at: 4)
            case 8: return same(UInt64.self, at: 0)
            case 10: return same(UInt64.self, at: 0) && same(UInt16.self, at: 8)
            default: preconditionFailure("no field name has \(literal.utf8CodeUnitCount) bytes")
            }
        }
    }

    static let labelsExpectation = "an array of label names or {\"name\": …, \"weight\": …} objects"
    static let timestampExpectation =
        "an RFC 3339 timestamp such as \"2026-01-02T03:04:05Z\" or integer epoch milliseconds"

    let options: ImportOptions
    var labels: LabelCollector
    /// The storage of the last asset, reused so its label array keeps its capacity.
    var asset = AssetRecord(key: .int(0))
    /// Decoded bytes of an escaped string.
    private var scratch: [UInt8] = []

    init(options: ImportOptions, interner: LabelInterner) {
        self.options = options
        labels = LabelCollector(interner: interner, maximumNameBytes: options.maximumLabelNameBytes)
    }

    /// Decodes a line that is not blank; a bad line leaves the interner as it was.
    mutating func decode(_ line: UnsafeRawBufferPointer) -> Result<Outcome, RecordFailure> {
        labels.beginRecord()
        do {
            return .success(try decodeObject(line))
        } catch let failure as RecordFailure {
            labels.abandonRecord()
            return .failure(failure)
        } catch let failure as JSONError {
            labels.abandonRecord()
            return .failure(RecordFailure(offset: failure.offset, reason: .malformedJSON(failure.reason)))
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    private mutating func decodeObject(_ line: UnsafeRawBufferPointer) throws -> Outcome {
        var scanner = JSONScanner(line, maximumDepth: options.maximumNestingDepth)
        let kind = try scanner.peek()
        guard kind == .object else { throw RecordFailure(offset: scanner.offset, reason: .notAnObject(found: kind)) }
        try scanner.beginObject()

        asset.name = ""
        asset.assetType = nil
        asset.createdAt = nil
        asset.updatedAt = nil
        asset.metadata = nil
        asset.labels.removeAll(keepingCapacity: true)
        var seen: UInt16 = 0
        var intID: Int64?
        var stringID: String?
        var idOffset = 0
        var type: String?
        var typeOffset = 0
        var labelName: String?
        var name: String?
        var nameKeyOffset: Int?
        var nameOffset = 0
        var color: String?
        var parent: String?
        var weight: Double?
        // The first key of each kind, to report a key that does not fit the line's kind.
        var firstAssetKey: (Field, offset: Int)?
        var firstLabelKey: (Field, offset: Int)?

        while let key = try scanner.nextKey() {
            let keyOffset = key.range.lowerBound - 1
            guard let field = self.field(of: key, in: scanner) else {
                guard options.ignoresUnknownKeys else {
                    throw RecordFailure(offset: keyOffset, reason: .unknownKey(scanner.string(key)))
                }
                try scanner.skipValue()
                continue
            }
            let bit: UInt16 = 1 << field.rawValue
            guard seen & bit == 0 else { throw RecordFailure(offset: keyOffset, reason: .duplicateKey(field.key)) }
            seen |= bit
            switch field.lineKind {
            case .asset: if firstAssetKey == nil { firstAssetKey = (field, keyOffset) }
            case .label: if firstLabelKey == nil { firstLabelKey = (field, keyOffset) }
            case nil: nameKeyOffset = keyOffset
            }

            let kind = try scanner.peek()
            let valueOffset = scanner.offset
            switch field {
            case .id:
                idOffset = valueOffset
                switch kind {
                case .number:
                    intID = try readInt64(&scanner, field: field, expected: "an integer within the Int64 range")
                case .string:
                    stringID = try readNonEmptyString(&scanner, field: field)
                default:
                    throw invalid(field, at: valueOffset, expected: "an integer or a non-empty string")
                }
            case .type:
                typeOffset = valueOffset
                guard kind == .string else { throw invalid(field, at: valueOffset, expected: "a non-empty string") }
                type = try readNonEmptyString(&scanner, field: field)
            case .assetType:
                asset.assetType = try readOptionalString(&scanner, kind: kind, field: field)
            case .name:
                nameOffset = valueOffset
                name = try readOptionalString(&scanner, kind: kind, field: field)
                asset.name = name ?? ""
            case .createdAt:
                asset.createdAt = try readTimestamp(&scanner, kind: kind, field: field)
            case .updatedAt:
                asset.updatedAt = try readTimestamp(&scanner, kind: kind, field: field)
            case .metadata:
                // Kept verbatim, `null` included: metadata is opaque JSON.
                asset.metadata = Array(UnsafeRawBufferPointer(rebasing: line[try scanner.skipValue()]))
            case .labels:
                try readLabels(&scanner, kind: kind)
            case .label:
                guard kind == .string else { throw invalid(field, at: valueOffset, expected: "a label name string") }
                labelName = try readLabelName(&scanner)
            case .color:
                color = try readColor(&scanner, kind: kind)
            case .parent:
                if kind == .null {
                    try scanner.readNull()
                } else {
                    guard kind == .string else {
                        throw invalid(field, at: valueOffset, expected: "a label name string")
                    }
                    parent = try readLabelName(&scanner)
                }
            case .weight:
                weight = try readWeight(&scanner, kind: kind, field: field)
            }
        }
        try scanner.finish()

        if intID != nil || stringID != nil {
            if let (field, offset) = firstLabelKey {
                throw RecordFailure(offset: offset, reason: .misplacedKey(field.key, lineKind: .asset))
            }
            if let stringID {
                guard let type else { throw RecordFailure(offset: idOffset, reason: .typedIDWithoutType) }
                asset.key = .typed(type: type, id: stringID)
            } else {
                guard type == nil else { throw RecordFailure(offset: typeOffset, reason: .typeWithIntegerID) }
                asset.key = .int(intID!)
            }
            return .asset(asset)
        }
        if labelName == nil, nameKeyOffset != nil, firstAssetKey == nil {
            // `{"name": "env", "parent": null}`, the shape the label APIs use: `name` is the
            // label's name, checked as `label` would be.
            guard let name else { throw invalid(.name, at: nameOffset, expected: "a label name string") }
            if let problem = NameRule.violation(of: name, limit: options.maximumLabelNameBytes) {
                throw RecordFailure(offset: nameOffset, reason: .invalidLabelName(name: name, problem: problem))
            }
            labelName = name
        } else if labelName != nil, let nameKeyOffset {
            throw RecordFailure(offset: nameKeyOffset, reason: .conflictingKeys("name", "label"))
        }
        if let labelName {
            if let (field, offset) = firstAssetKey {
                throw RecordFailure(offset: offset, reason: .misplacedKey(field.key, lineKind: .label))
            }
            return .label(LabelRecord(name: labelName, color: color, parent: parent, weight: weight))
        }
        throw RecordFailure(offset: 0, reason: .neitherAssetNorLabel)
    }

    private mutating func field(of key: JSONString, in scanner: JSONScanner) -> Field? {
        guard key.hasEscapes else { return Field(key: scanner.rawBytes(of: key)) }
        scratch.removeAll(keepingCapacity: true)
        scanner.appendDecoded(key, to: &scratch)
        return scratch.withUnsafeBytes { Field(key: $0) }
    }

    private func invalid(_ field: Field, at offset: Int, expected: String) -> RecordFailure {
        RecordFailure(offset: offset, reason: .invalidValue(key: field.key, expected: expected))
    }

    private func readInt64(_ scanner: inout JSONScanner, field: Field, expected: String) throws -> Int64 {
        let offset = scanner.offset
        do throws(JSONError) {
            return try scanner.readInt64()
        } catch {
            guard error.reason == .integerExpected || error.reason == .integerOutOfRange else { throw error }
            throw invalid(field, at: offset, expected: expected)
        }
    }

    private func readNonEmptyString(_ scanner: inout JSONScanner, field: Field) throws -> String {
        let offset = scanner.offset
        let token = try scanner.readString()
        guard !token.range.isEmpty else { throw invalid(field, at: offset, expected: "a non-empty string") }
        return scanner.string(token)
    }

    private func readOptionalString(_ scanner: inout JSONScanner, kind: JSONValueKind, field: Field) throws -> String? {
        switch kind {
        case .string: return scanner.string(try scanner.readString())
        case .null:
            try scanner.readNull()
            return nil
        default: throw invalid(field, at: scanner.offset, expected: "a string")
        }
    }

    private mutating func readTimestamp(
        _ scanner: inout JSONScanner, kind: JSONValueKind, field: Field
    ) throws -> Int64? {
        let offset = scanner.offset
        switch kind {
        case .null:
            try scanner.readNull()
            return nil
        case .number:
            return try readInt64(&scanner, field: field, expected: Self.timestampExpectation)
        case .string:
            let token = try scanner.readString()
            let milliseconds =
                token.hasEscapes
                ? decoded(token, in: scanner) { Timestamp.epochMilliseconds(rfc3339: $0) }
                : Timestamp.epochMilliseconds(rfc3339: scanner.rawBytes(of: token))
            guard let milliseconds else { throw invalid(field, at: offset, expected: Self.timestampExpectation) }
            return milliseconds
        default:
            throw invalid(field, at: offset, expected: Self.timestampExpectation)
        }
    }

    private func readWeight(_ scanner: inout JSONScanner, kind: JSONValueKind, field: Field) throws -> Double? {
        switch kind {
        case .null:
            try scanner.readNull()
            return nil
        case .number: return try scanner.readDouble()
        default: throw invalid(field, at: scanner.offset, expected: "a number")
        }
    }

    private mutating func readColor(_ scanner: inout JSONScanner, kind: JSONValueKind) throws -> String? {
        let offset = scanner.offset
        switch kind {
        case .null:
            try scanner.readNull()
            return nil
        case .string:
            let token = try scanner.readString()
            if !token.hasEscapes && LabelRecord.isValidColor(scanner.rawBytes(of: token)) {
                return scanner.string(token)
            }
        default:
            break
        }
        throw invalid(.color, at: offset, expected: "a colour as \"#RRGGBB\"")
    }

    /// Reads a label name for a label definition line, checking it like an asset's label.
    private mutating func readLabelName(_ scanner: inout JSONScanner) throws -> String {
        let offset = scanner.offset
        let token = try scanner.readString()
        let limit = options.maximumLabelNameBytes
        if token.hasEscapes {
            try decoded(token, in: scanner) { bytes throws(RecordFailure) in
                try Self.checkLabelName(bytes, at: offset, limit: limit)
            }
        } else {
            try Self.checkLabelName(scanner.rawBytes(of: token), at: offset, limit: limit)
        }
        return scanner.string(token)
    }

    private static func checkLabelName(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, limit: Int
    ) throws(RecordFailure) {
        if let problem = NameRule.violation(ofUTF8: bytes, limit: limit) {
            throw RecordFailure(
                offset: offset,
                reason: .invalidLabelName(name: String(decoding: bytes, as: UTF8.self), problem: problem))
        }
    }

    private mutating func readLabels(_ scanner: inout JSONScanner, kind: JSONValueKind) throws {
        switch kind {
        case .null:
            try scanner.readNull()
            return
        case .array: try scanner.beginArray()
        default: throw invalid(.labels, at: scanner.offset, expected: Self.labelsExpectation)
        }
        while try scanner.hasNextElement() {
            let itemOffset = scanner.offset
            if scanner.byte(at: itemOffset) == UInt8(ascii: "\"") {
                // Fast path for the usual name: printable ASCII without escapes, which needs neither
                // UTF-8 validation nor the control character check.
                let end = JSONScanner.endOfPlainASCII(scanner.base, from: itemOffset + 1, to: scanner.count)
                if end < scanner.count && scanner.byte(at: end) == UInt8(ascii: "\"") {
                    scanner.offset = end + 1
                    let name = UnsafeRawBufferPointer(start: scanner.base + itemOffset + 1, count: end - itemOffset - 1)
                    let isValid = !name.isEmpty && name.count <= labels.maximumNameBytes
                    let index = try (isValid ? labels.internOnce(name) : nil) ?? labels.add(name, at: itemOffset)
                    asset.labels.append((index, nil))
                    continue
                }
            }
            switch try scanner.peek() {
            case .string:
                let index = try intern(try scanner.readString(), in: scanner, at: itemOffset)
                asset.labels.append((index, nil))
            case .object:
                try readWeightedLabel(&scanner, at: itemOffset)
            default:
                throw invalid(.labels, at: itemOffset, expected: Self.labelsExpectation)
            }
        }
    }

    /// Reads `{"name": …, "weight": …}` inside `labels`.
    private mutating func readWeightedLabel(_ scanner: inout JSONScanner, at itemOffset: Int) throws {
        try scanner.beginObject()
        var name: (token: JSONString, offset: Int)?
        var weight: Double?
        var hasWeight = false
        while let key = try scanner.nextKey() {
            let keyOffset = key.range.lowerBound - 1
            let field = self.field(of: key, in: scanner)
            if field == .name {
                guard name == nil else { throw RecordFailure(offset: keyOffset, reason: .duplicateKey("name")) }
                let offset = scanner.offset
                guard try scanner.peek() == .string else {
                    throw invalid(.name, at: offset, expected: "a label name string")
                }
                name = (try scanner.readString(), offset)
            } else if field == .weight {
                guard !hasWeight else { throw RecordFailure(offset: keyOffset, reason: .duplicateKey("weight")) }
                hasWeight = true
                weight = try readWeight(&scanner, kind: try scanner.peek(), field: .weight)
            } else if options.ignoresUnknownKeys {
                try scanner.skipValue()
            } else {
                throw RecordFailure(offset: keyOffset, reason: .unknownKey(scanner.string(key)))
            }
        }
        guard let name else { throw RecordFailure(offset: itemOffset, reason: .missingKey("name")) }
        asset.labels.append((try intern(name.token, in: scanner, at: name.offset), weight))
    }

    private mutating func intern(
        _ token: JSONString, in scanner: JSONScanner, at offset: Int
    ) throws(RecordFailure) -> Int {
        guard token.hasEscapes else { return try labels.add(scanner.rawBytes(of: token), at: offset) }
        var decoded = scratch
        scratch = []
        defer { scratch = decoded }
        decoded.removeAll(keepingCapacity: true)
        scanner.appendDecoded(token, to: &decoded)
        // `withUnsafeBytes` only rethrows untyped errors, so the typed one travels in a `Result`.
        return try decoded.withUnsafeBytes { bytes in
            Result { () throws(RecordFailure) in try labels.add(bytes, at: offset) }
        }.get()
    }

    /// Runs `body` on the decoded bytes of an escaped string.
    private mutating func decoded<T, E: Error>(
        _ token: JSONString, in scanner: JSONScanner, _ body: (UnsafeRawBufferPointer) throws(E) -> T
    ) throws(E) -> T {
        scratch.removeAll(keepingCapacity: true)
        scanner.appendDecoded(token, to: &scratch)
        return try scratch.withUnsafeBytes { bytes in Result { () throws(E) in try body(bytes) } }.get()
    }
}

import Foundation
import LabelCommands
import LabelIndex
import Testing

@Suite struct CommandCodecTests {
    /// Every command case, with random fields, in random submissions and entries, decodes to
    /// exactly what was encoded.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomEntriesRoundTrip(seed: UInt64) throws {
        var generator = CommandGenerator(seed: seed)
        var casesSeen = Set<Int>()
        for _ in 0..<300 {
            let entry = generator.array(0..<4) { $0.submission() }
            for submission in entry {
                for command in submission.commands { casesSeen.insert(Self.caseNumber(command)) }
            }
            let decoded = try CommandCodec.decode(CommandCodec.encode(entry))
            #expect(decoded == entry)
            // Hashable equality of Double treats 0 and -0 alike; the bytes must match too.
            #expect(CommandCodec.encode(decoded) == CommandCodec.encode(entry))
        }
        #expect(casesSeen == Set(0..<CommandGenerator.caseCount))
    }

    @Test func everyCaseRoundTripsWithEveryOptionalSetAndUnset() throws {
        var generator = CommandGenerator(seed: 99)
        for tag in 0..<CommandGenerator.caseCount {
            for _ in 0..<50 {
                let command = generator.command(case: tag)
                #expect(Self.caseNumber(command) == tag)
                let submission = CommandSubmission(
                    commands: [command], namespace: command.namespace, timestamp: generator.int64(),
                    idempotencyKey: generator.maybe { $0.text() })
                #expect(try CommandCodec.decode(CommandCodec.encode([submission])) == [submission])
            }
        }
        let sparse = CommandSubmission(
            commands: [
                .upsertAsset("n", .id(.min), AssetAttributes(), labels: nil),
                .upsertAsset("n", .typed(type: "", id: ""), AssetAttributes(metadata: []), labels: []),
                .changeLabels("n", .id(.max), .replace([])),
                .link("n", LabelID(.max), [], createMissingAssets: true),
                .updateLabel("n", LabelID(0), LabelUpdate(weight: .some(nil))),
                .setApplicationValue(key: [], value: []),
            ], namespace: nil, timestamp: .min)
        #expect(try CommandCodec.decode(CommandCodec.encode([sparse])) == [sparse])
        #expect(try CommandCodec.decode(CommandCodec.encode([])) == [])
    }

    @Test func weightsAndDatesKeepTheirExactBits() throws {
        let weights: [Double] = [-0.0, .leastNonzeroMagnitude, .pi, .infinity, -.infinity, 1e308]
        let submission = CommandSubmission(
            weights.map { weight in
                .upsertAsset(
                    "n", .id(1), AssetAttributes(createdAt: Date(timeIntervalSinceReferenceDate: weight)),
                    labels: [LabelAssignment("w", weight: weight)])
            }, timestamp: 0)
        let decoded = try CommandCodec.decode(CommandCodec.encode([submission]))
        let bits = decoded[0].commands.map { command -> [UInt64] in
            guard case .upsertAsset(_, _, let attributes, let labels) = command else { return [] }
            return [attributes.createdAt!.timeIntervalSinceReferenceDate.bitPattern, labels![0].weight!.bitPattern]
        }
        #expect(bits == weights.map { [$0.bitPattern, $0.bitPattern] })
    }

    /// The first byte is the version; the README/DocC table describes version 1 byte by byte.
    @Test func theFormatIsTheDocumentedOne() {
        let submission = CommandSubmission(
            commands: [.deleteAsset("ns", .id(-2)), .removeApplicationValue(key: [7])], namespace: "ns",
            timestamp: 1, idempotencyKey: nil)
        #expect(
            CommandCodec.encode([submission]) == [
                1,  // version
                1,  // one submission
                2,  // timestamp 1, zigzag
                1, 2, 0x6E, 0x73,  // namespace present, "ns"
                0,  // no idempotency key
                2,  // two commands
                3, 2, 0x6E, 0x73, 0, 3,  // deleteAsset "ns" id -2 (zigzag 3)
                13, 1, 7,  // removeApplicationValue [7]
            ])
    }

    @Test func everyTruncationOfAValidEntryThrows() throws {
        var generator = CommandGenerator(seed: 7)
        for _ in 0..<40 {
            let entry = generator.array(1..<3) { $0.submission() }
            let bytes = CommandCodec.encode(entry)
            for length in 0..<bytes.count {
                #expect(throws: CommandCodecError.self) { try CommandCodec.decode(Array(bytes[..<length])) }
            }
        }
    }

    @Test func trailingBytesThrow() throws {
        let bytes = CommandCodec.encode([CommandSubmission([.deleteAsset("n", .id(1))], timestamp: 5)])
        #expect(throws: CommandCodecError.trailingBytes(offset: bytes.count)) {
            try CommandCodec.decode(bytes + [0])
        }
    }

    @Test func unknownVersionsThrow() {
        #expect(throws: CommandCodecError.unsupportedVersion(nil)) { try CommandCodec.decode([]) }
        for version in [0, 2, 255] as [UInt8] {
            let bytes = [version] + CommandCodec.encode([]).dropFirst()
            #expect(throws: CommandCodecError.unsupportedVersion(version)) { try CommandCodec.decode(bytes) }
        }
        #expect(
            CommandCodecError.unsupportedVersion(2).description
                == "unsupported command encoding version 2 (this build reads version 1)")
    }

    /// Random bytes, and valid entries with random bytes flipped: decoding either returns
    /// submissions or throws `CommandCodecError`, never traps or throws anything else.
    @Test(arguments: [11, 12, 13] as [UInt64])
    func randomAndCorruptedBytesNeverCrash(seed: UInt64) {
        var generator = CommandGenerator(seed: seed)
        var rejected = 0
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = [CommandCodec.version] + generator.bytes(0..<64)
            } else {
                bytes = CommandCodec.encode(generator.array(1..<3) { $0.submission() })
                for _ in 0..<generator.int(1..<4) {
                    bytes[generator.int(0..<bytes.count)] = UInt8(truncatingIfNeeded: generator.uint64())
                }
            }
            do {
                let decoded = try CommandCodec.decode(bytes)
                // Whatever decodes encodes and decodes again to the same bytes (compared as bytes:
                // random doubles include NaN, which equals nothing).
                let again = CommandCodec.encode(decoded)
                #expect(CommandCodec.encode(try CommandCodec.decode(again)) == again)
            } catch is CommandCodecError {
                rejected += 1
            } catch {
                Issue.record("decode threw \(error), not a CommandCodecError")
            }
        }
        #expect(rejected > 1000)
    }

    @Test func specificDefectsHaveSpecificErrors() throws {
        // version, 1 submission, timestamp 0, no namespace, no key, 1 command, then:
        let head: [UInt8] = [1, 1, 0, 0, 0, 1]
        #expect(throws: CommandCodecError.malformed(offset: 6, reason: "unknown command tag 0")) {
            try CommandCodec.decode(head + [0])
        }
        #expect(throws: CommandCodecError.malformed(offset: 6, reason: "unknown command tag 14")) {
            try CommandCodec.decode(head + [14])
        }
        // deleteAsset, namespace of two bytes that are not UTF-8.
        #expect(throws: CommandCodecError.malformed(offset: 7, reason: "invalid UTF-8")) {
            try CommandCodec.decode(head + [3, 2, 0xC3, 0x28, 0, 0])
        }
        // A flag that is neither 0 nor 1 (the namespace's optional marker).
        #expect(throws: CommandCodecError.malformed(offset: 3, reason: "expected 0 or 1, found 2")) {
            try CommandCodec.decode([1, 1, 0, 2])
        }
        // A timestamp varint of 11 bytes.
        #expect(throws: CommandCodecError.malformed(offset: 2, reason: "integer longer than 64 bits")) {
            try CommandCodec.decode([1, 1] + Array(repeating: 0xFF, count: 10) + [1])
        }
        // A count larger than the bytes left.
        #expect(throws: CommandCodecError.malformed(offset: 1, reason: "count 100 exceeds the bytes left")) {
            try CommandCodec.decode([1, 100, 0])
        }
        // createLabel with a color above 24 bits (0x1000000 as a varint).
        #expect(throws: CommandCodecError.malformed(offset: 12, reason: "color exceeds 24 bits")) {
            try CommandCodec.decode(head + [5, 1, 0x6E, 1, 0x61, 1, 0x80, 0x80, 0x80, 0x08, 0, 0])
        }
        // deleteLabel with an id above 32 bits.
        #expect(throws: CommandCodecError.malformed(offset: 9, reason: "value exceeds 32 bits")) {
            try CommandCodec.decode(head + [8, 1, 0x6E, 0x80, 0x80, 0x80, 0x80, 0x10])
        }
        // An asset key tag other than 0 (int) and 1 (typed).
        #expect(throws: CommandCodecError.malformed(offset: 9, reason: "unknown asset key tag 2")) {
            try CommandCodec.decode(head + [3, 1, 0x6E, 2])
        }
        #expect(throws: CommandCodecError.truncated(offset: 4)) { try CommandCodec.decode([1, 1, 0, 0]) }
    }

    @Test func reversedOrdinalRangesAreRejected() throws {
        let selector = AssetSelector(query: "*", ordinals: 5..<9)
        var bytes = CommandCodec.encode([CommandSubmission([.changeLabelsMatching("n", selector, .remove([]))])])
        // The range is the last varints before the change (tag 2, count 0): swap 5 and 9.
        let lower = bytes.count - 4
        #expect(bytes[lower...] == [5, 9, 2, 0])
        bytes[lower] = 9
        bytes[lower + 1] = 5
        #expect(throws: CommandCodecError.malformed(offset: lower - 1, reason: "ordinal range 9..<5 is reversed")) {
            try CommandCodec.decode(bytes)
        }
    }

    /// `json` is one JSON object per command, naming its type and namespace.
    @Test func jsonIsValidForEveryCase() throws {
        var generator = CommandGenerator(seed: 3)
        for tag in 0..<CommandGenerator.caseCount {
            for _ in 0..<20 {
                let command = generator.command(case: tag)
                let text = CommandCodec.json(command)
                let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                #expect(object?["type"] is String, "\(text)")
                if let namespace = command.namespace {
                    #expect(object?["namespace"] as? String == namespace.name, "\(text)")
                }
            }
        }
        #expect(
            CommandCodec.json(
                .link("ns", LabelID(4), [.id(1), .typed(type: "form", id: "x")], createMissingAssets: false))
                == #"{"type":"link","namespace":"ns","label":4,"assets":["1","form:x"],"create_missing_assets":false}"#)
    }

    static func caseNumber(_ command: WriteCommand) -> Int {
        switch command {
        case .upsertAsset: 0
        case .ensureAsset: 1
        case .deleteAsset: 2
        case .changeLabels: 3
        case .createLabel: 4
        case .updateLabel: 5
        case .setLabelWeight: 6
        case .deleteLabel: 7
        case .link: 8
        case .unlink: 9
        case .changeLabelsMatching: 10
        case .setApplicationValue: 11
        case .removeApplicationValue: 12
        }
    }
}

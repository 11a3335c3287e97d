import Foundation
import Testing

@testable import LabelInterchange

@Suite struct NDJSONReaderTests {
    /// Lines of many lengths, good and bad, asset and label, with escapes and non-ASCII text.
    static let mixedText: String = {
        var lines: [String] = []
        for i in 0..<60 {
            let labels = (0..<(i % 9)).map { "\"l\(($0 * 7 + i) % 13)-\(String(repeating: "x", count: $0))\"" }
            switch i % 6 {
            case 0: lines.append(#"{"id":\#(i),"name":"n\#(i) é😀","labels":[\#(labels.joined(separator: ","))]}"#)
            case 1: lines.append(##"{"label":"l\##(i)","color":"#A0B0C0","weight":\##(Double(i) / 8)}"##)
            case 2: lines.append(#"{ "labels": [\#(labels.joined(separator: ", "))], "id" : "k\#(i)", "type":"t" }"#)
            case 3: lines.append(#"{"id":\#(i),"labels":["dup","dup"]}"#)
            case 4: lines.append("")
            default: lines.append(#"{"id":\#(i),"name":"esc\"aped\\","labels":["caf\u00e9"],"metadata":[\#(i)]}"#)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test(arguments: [1, 2, 3, 5, 7, 8, 13, 16, 31, 64, 100, 1 << 16])
    func linesStraddlingBlocksReadTheSame(blockSize: Int) throws {
        let expected = try readNDJSON(Self.mixedText)
        #expect(expected.count == 50)
        #expect(try readNDJSON(Self.mixedText, options: options(blockSize: blockSize)) == expected)
    }

    @Test func handlesCRLFBlankLinesAndAMissingFinalLineFeed() throws {
        let text = "\r\n{\"id\":1,\"labels\":[\"a\"]}\r\n   \r\n\t\n{\"id\":2}\r\n\r\n{\"label\":\"a\"}"
        for blockSize in [1, 4, 1 << 16] {
            let delivered = try readNDJSON(text, options: options(blockSize: blockSize))
            #expect(delivered.map { $0.asset?.key } == [.int(1), .int(2), nil])
            #expect(delivered.last?.label == LabelRecord(name: "a"))
        }
        // Line numbers count blank lines.
        let errors = try readNDJSON("\r\n\r\n{\"id\":x}\r\n").compactMap(\.failure)
        #expect(errors.map(\.line) == [3])
    }

    @Test func skipsAByteOrderMark() throws {
        let delivered = try readNDJSON("\u{FEFF}{\"id\":1}\n{\"id\":2}")
        #expect(delivered.map { $0.asset?.key } == [.int(1), .int(2)])
        let error = try #require(try readNDJSON("\u{FEFF}{\"id\":x}").first?.failure)
        #expect(error.column == 10)  // Counted in bytes, the mark's three included.
    }

    @Test func emptyInputDeliversNothing() throws {
        #expect(try readNDJSON("").isEmpty)
        #expect(try readNDJSON("\n\n  \n").isEmpty)
    }

    @Test(arguments: [4, 64, 1 << 16])
    func skipsLinesLongerThanTheLimit(blockSize: Int) throws {
        let long = #"{"id":1,"name":""# + String(repeating: "x", count: 300) + #""}"#
        let medium = #"{"id":2,"name":""# + String(repeating: "y", count: 90) + #""}"#
        let text = "\(long)\n{\"id\":3}\n\(medium)\n{\"id\":4}\n\(long)"
        let limited = ImportOptions(blockSize: blockSize, maximumLineBytes: 100)
        let delivered = try readNDJSON(text, options: limited)
        #expect(delivered.count == 5)
        #expect(
            delivered.map(\.failure?.reason) == [
                .lineTooLong(limit: 100), nil, .lineTooLong(limit: 100), nil, .lineTooLong(limit: 100),
            ])
        #expect(delivered.map { $0.asset?.key } == [nil, .int(3), nil, .int(4), nil])
        #expect(delivered.compactMap(\.failure).map(\.line) == [1, 3, 5])
    }

    @Test func resumesAfterTheCallbackThrows() throws {
        struct Stop: Error {}
        let reader = NDJSONReader(
            bytes: Array("{\"id\":1}\n{\"id\":2}\n{\"id\":3}".utf8), options: options(blockSize: 3))
        var seen: [AssetRecord.Key] = []
        #expect(throws: Stop.self) {
            try reader.forEachRecord { result in
                seen.append(try result.get().assetKey!)
                if seen.count == 2 { throw Stop() }
            }
        }
        #expect(reader.lineNumber == 2)
        try reader.forEachRecord { seen.append(try $0.get().assetKey!) }
        #expect(seen == [.int(1), .int(2), .int(3)])
        try reader.forEachRecord { _ in Issue.record("nothing is left") }
    }

    @Test func readsFilesAndReportsProgress() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("li-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("assets.ndjson").path
        let bytes = SyntheticImportFile.ndjson(lines: 2000, distinctLabels: 300, seed: 9)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))

        let reader = try NDJSONReader(fileAt: path, options: options(blockSize: 4096))
        #expect(reader.totalBytes == bytes.count)
        var assets = 0
        var pairs = 0
        var progress: [Int] = []
        try reader.forEachRecord { result in
            pairs += try result.get().assetLabels.count
            assets += 1
            progress.append(reader.bytesRead)
        }
        #expect(assets == 2000)
        #expect(pairs == 16_000)
        #expect(reader.bytesRead == bytes.count)
        #expect(progress == progress.sorted() && progress.first! < bytes.count)
        #expect(reader.interner.count <= 300)

        // The same file through a descriptor the reader does not own.
        let descriptor = open(path, O_RDONLY)
        defer { close(descriptor) }
        let viaDescriptor = NDJSONReader(fileDescriptor: descriptor, name: "fd", options: options(blockSize: 777))
        var count = 0
        try viaDescriptor.forEachRecord {
            _ = try $0.get(); count += 1
        }
        #expect(count == 2000)
        #expect(viaDescriptor.interner.names == reader.interner.names)
    }

    @Test func reportsFilesThatCannotBeOpened() {
        #expect(throws: InterchangeIOError.self) { try NDJSONReader(fileAt: "/nonexistent/labels.ndjson") }
    }

    @Test func readsData() throws {
        let reader = NDJSONReader(data: Data(#"{"id":5}"#.utf8), name: "data")
        var keys: [AssetRecord.Key] = []
        try reader.forEachRecord { keys.append(try $0.get().assetKey!) }
        #expect(keys == [.int(5)])
    }
}

extension InterchangeRecord {
    var assetKey: AssetRecord.Key? {
        if case .asset(let asset) = self { return asset.key }
        return nil
    }
}

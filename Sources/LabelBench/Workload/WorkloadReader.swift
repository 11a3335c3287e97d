import Foundation

extension Workload {
    /// Reads a workload back from the files `write(to:)` produced.
    ///
    /// `queries.tsv` is not read: queries are derived from the workload by `queries()`.
    /// Throws `WorkloadError.malformedFile` for unknown labels, a parent listed after its child,
    /// or counts that disagree with `workload.json`.
    public static func load(from directory: URL) throws -> Workload {
        let decoder = JSONDecoder()
        let summaryData = try Data(contentsOf: directory.appending(path: WorkloadFile.summary.rawValue))
        let summary: WorkloadSummary
        do {
            summary = try decoder.decode(WorkloadSummary.self, from: summaryData)
        } catch {
            throw WorkloadError.malformedFile(file: WorkloadFile.summary.rawValue, line: 1, reason: "\(error)")
        }

        var popularity: [String: LabelPopularity] = [:]
        for name in summary.popularLabels { popularity[name] = .popular }
        for name in summary.midLabels { popularity[name] = .mid }
        for name in summary.rareLabels { popularity[name] = .rare }

        var labels: [WorkloadLabel] = []
        var labelIndex: [String: Int] = [:]
        try forEachLine(of: directory, .labels) { data, line in
            let record = try decode(LabelRecord.self, from: data, file: .labels, line: line, decoder: decoder)
            func fail(_ reason: String) -> WorkloadError {
                .malformedFile(file: WorkloadFile.labels.rawValue, line: line, reason: reason)
            }
            guard labelIndex[record.label] == nil else { throw fail("duplicate label \(record.label)") }
            guard let labelPopularity = popularity[record.label] else {
                throw fail("label \(record.label) is in no popularity class of workload.json")
            }
            var parent: Int?
            if let parentName = record.parent {
                guard let index = labelIndex[parentName] else {
                    throw fail("parent \(parentName) is not defined above")
                }
                parent = index
            }
            labelIndex[record.label] = labels.count
            labels.append(
                WorkloadLabel(name: record.label, color: record.color, parent: parent, popularity: labelPopularity))
        }

        var assets: [WorkloadAsset] = []
        assets.reserveCapacity(summary.assetCount)
        try forEachLine(of: directory, .assets) { data, line in
            let record = try decode(AssetRecord.self, from: data, file: .assets, line: line, decoder: decoder)
            let indices = try record.labels.map { name in
                guard let index = labelIndex[name] else {
                    throw WorkloadError.malformedFile(
                        file: WorkloadFile.assets.rawValue, line: line, reason: "unknown label \(name)")
                }
                return index
            }
            assets.append(WorkloadAsset(id: record.id, name: record.name, labels: indices))
        }

        var writes: [WriteOperation] = []
        try forEachLine(of: directory, .writes) { data, line in
            let fields = data.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            guard fields.count == 3, let kind = WriteOperation.Kind(rawValue: fields[0]),
                let assetID = Int64(fields[1]), let label = labelIndex[fields[2]]
            else {
                throw WorkloadError.malformedFile(
                    file: WorkloadFile.writes.rawValue, line: line, reason: "expected add|remove, asset id, known label"
                )
            }
            writes.append(WriteOperation(kind: kind, assetID: assetID, label: label))
        }

        guard labels.count == summary.labelCount, assets.count == summary.assetCount,
            writes.count == summary.writeOperationCount
        else {
            throw WorkloadError.malformedFile(
                file: WorkloadFile.summary.rawValue, line: 1, reason: "counts disagree with the other files")
        }
        return Workload(spec: summary.spec, labels: labels, assets: assets, writeOperations: writes)
    }

    private struct LabelRecord: Decodable {
        var label: String
        var color: String
        var parent: String?
    }

    private struct AssetRecord: Decodable {
        var id: Int64
        var name: String
        var labels: [String]
    }

    private static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, file: WorkloadFile, line: Int, decoder: JSONDecoder
    ) throws -> T {
        do {
            return try decoder.decode(type, from: data)
        } catch {
            throw WorkloadError.malformedFile(file: file.rawValue, line: line, reason: "\(error)")
        }
    }

    /// Calls `body` with each non-empty line (without its newline) and its 1-based number.
    private static func forEachLine(
        of directory: URL, _ file: WorkloadFile, _ body: (Data, Int) throws -> Void
    ) throws {
        let contents = try Data(contentsOf: directory.appending(path: file.rawValue))
        var lineNumber = 0
        var start = contents.startIndex
        while start < contents.endIndex {
            let end = contents[start...].firstIndex(of: UInt8(ascii: "\n")) ?? contents.endIndex
            lineNumber += 1
            if end > start { try body(contents[start..<end], lineNumber) }
            start = end == contents.endIndex ? end : contents.index(after: end)
        }
    }
}

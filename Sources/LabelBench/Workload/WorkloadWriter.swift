import Foundation

extension Workload {
    /// Writes every `WorkloadFile` into `directory`, creating it if needed and replacing files
    /// of the same names. The bytes depend only on the workload.
    public func write(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let labelJSON = labels.map { jsonStringBytes($0.name) }
        try writeAssets(to: directory.appending(path: WorkloadFile.assets.rawValue), labelJSON: labelJSON)
        try writeLabels(to: directory.appending(path: WorkloadFile.labels.rawValue), labelJSON: labelJSON)
        try writeQueries(to: directory.appending(path: WorkloadFile.queries.rawValue))
        try writeWrites(to: directory.appending(path: WorkloadFile.writes.rawValue))
        try Data(summary.jsonText.utf8).write(to: directory.appending(path: WorkloadFile.summary.rawValue))
    }

    private func writeAssets(to url: URL, labelJSON: [[UInt8]]) throws {
        let file = try ByteFileWriter(url: url)
        for asset in assets {
            file.append("{\"id\":")
            file.append(asset.id)
            file.append(",\"name\":")
            file.append(jsonStringBytes(asset.name))
            file.append(",\"labels\":[")
            for (position, label) in asset.labels.enumerated() {
                if position > 0 { file.append(byte: UInt8(ascii: ",")) }
                file.append(labelJSON[label])
            }
            file.append("]}\n")
            try file.endRecord()
        }
        try file.close()
    }

    private func writeLabels(to url: URL, labelJSON: [[UInt8]]) throws {
        let file = try ByteFileWriter(url: url)
        for label in labels {
            file.append("{\"label\":")
            file.append(jsonStringBytes(label.name))
            file.append(",\"color\":")
            file.append(jsonStringBytes(label.color))
            if let parent = label.parent {
                file.append(",\"parent\":")
                file.append(labelJSON[parent])
            }
            file.append("}\n")
            try file.endRecord()
        }
        try file.close()
    }

    private func writeQueries(to url: URL) throws {
        let file = try ByteFileWriter(url: url)
        for query in queries() { file.append("\(query.id)\t\(query.text)\n") }
        try file.close()
    }

    private func writeWrites(to url: URL) throws {
        let file = try ByteFileWriter(url: url)
        for operation in writeOperations {
            file.append(operation.kind.rawValue)
            file.append(byte: UInt8(ascii: "\t"))
            file.append(operation.assetID)
            file.append(byte: UInt8(ascii: "\t"))
            file.append(labels[operation.label].name)
            file.append(byte: UInt8(ascii: "\n"))
            try file.endRecord()
        }
        try file.close()
    }
}

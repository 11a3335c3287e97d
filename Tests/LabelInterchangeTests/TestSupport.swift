import Testing

@testable import LabelInterchange

/// What a reader handed to its callback, in order; label indices are resolved to names so tests
/// can state expectations without knowing interning order.
enum Delivered: Equatable {
    case asset(AssetRecord, labelNames: [String])
    case label(LabelRecord)
    case failure(LineError)

    var asset: AssetRecord? {
        if case .asset(let asset, _) = self { return asset }
        return nil
    }

    var labelNames: [String]? {
        if case .asset(_, let names) = self { return names }
        return nil
    }

    var failure: LineError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var label: LabelRecord? {
        if case .label(let label) = self { return label }
        return nil
    }
}

/// Small blocks make lines straddle block boundaries.
func options(blockSize: Int = 1 << 16, ignoresUnknownKeys: Bool = false) -> ImportOptions {
    ImportOptions(ignoresUnknownKeys: ignoresUnknownKeys, blockSize: blockSize)
}

/// Reads NDJSON text with `NDJSONReader` and returns everything delivered.
func readNDJSON(_ text: String, options: ImportOptions = ImportOptions()) throws -> [Delivered] {
    let reader = NDJSONReader(bytes: Array(text.utf8), name: "test.ndjson", options: options)
    var delivered: [Delivered] = []
    try reader.forEachRecord { result in
        delivered.append(describe(result, names: reader.interner.names))
    }
    return delivered
}

/// Reads CSV text with `CSVReader` and returns everything delivered.
func readCSV(_ text: String, options: ImportOptions = ImportOptions()) throws -> [Delivered] {
    let reader = CSVReader(bytes: Array(text.utf8), name: "test.csv", options: options)
    var delivered: [Delivered] = []
    try reader.forEachRecord { result in
        delivered.append(describe(result, names: reader.interner.names))
    }
    return delivered
}

func describe(_ result: Result<InterchangeRecord, LineError>, names: [String]) -> Delivered {
    switch result {
    case .success(.asset(let asset)): .asset(asset, labelNames: asset.labels.map { names[$0.label] })
    case .success(.label(let label)): .label(label)
    case .failure(let error): .failure(error)
    }
}

/// The single error a one-line NDJSON input produces.
func ndjsonError(_ line: String, options: ImportOptions = ImportOptions()) throws -> LineError? {
    let delivered = try readNDJSON(line, options: options)
    guard delivered.count == 1 else { return nil }
    return delivered[0].failure
}

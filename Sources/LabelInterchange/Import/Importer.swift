import Foundation
import LabelIndex

/// Loads NDJSON and CSV files into a store through the engine's bulk loader.
///
/// ```swift
/// let report = try Importer(store: store).importFiles(["assets.ndjson"])
/// print("\(report.assetsCreated) created, \(report.badLines) bad lines")
/// ```
///
/// Every asset line makes the asset carry exactly the listed labels (it is the asset's whole
/// state), label lines define labels, so importing the same file twice changes nothing. A
/// reader thread parses while the caller's thread loads; see `ImportConfiguration` for error
/// handling, batching and atomicity.
public struct Importer {
    public let store: LabelStore
    public let configuration: ImportConfiguration

    public init(store: LabelStore, configuration: ImportConfiguration = ImportConfiguration()) {
        self.store = store
        self.configuration = configuration
    }

    /// Imports `files` in order; `progress` is called after every few thousand lines.
    /// - Throws: `ImportError.badLine` with `.stop` (and then nothing was imported),
    ///   `ImportError.unreadable`, or a storage error.
    @discardableResult
    public func importFiles(_ files: [String], progress: ((ImportProgress) -> Void)? = nil) throws -> ImportReport {
        let clock = ContinuousClock()
        let start = clock.now
        // Room for the import up front (a database takes well under three times its NDJSON), so
        // its transactions rarely have to run again after growing the map.
        let inputBytes = files.reduce(0) { total, file in
            total + ((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0)
        }
        if configuration.reservesCapacity { try store.reserveCapacity(bytes: 3 * inputBytes + (64 << 20)) }
        var report = ImportReport()
        report.files = files
        var names: [String] = []
        var lastProgress: ImportProgress?
        // Applied chunks are freed here, off the loading thread: destroying a chunk's records
        // (strings and arrays the reader thread allocated) is a real share of the load's
        // critical path, and the second core has room for it. At most a few chunks wait, so
        // memory stays bounded.
        let disposal = DispatchQueue(label: "labelindex.import.disposal")
        let disposalSlots = DispatchSemaphore(value: 4)
        func consume(_ chunk: RecordProducer.Chunk) {
            names.append(contentsOf: chunk.newNames)
            lastProgress = chunk.progress
            progress?(chunk.progress)
        }
        func dispose(_ chunk: consuming RecordProducer.Chunk) {
            disposalSlots.wait()
            disposal.async { [chunk] in
                withExtendedLifetime(chunk) {}
                disposalSlots.signal()
            }
        }
        func makeProducer(after position: RecordProducer.Position) -> RecordProducer {
            names = []
            return RecordProducer(
                files: files, format: configuration.format, options: configuration.options, after: position)
        }
        switch configuration.onError {
        case .stop:
            // One transaction, so a bad line leaves nothing behind. If the map has to grow, the
            // transaction runs again, reading the files again from the start.
            let outcome = try store.write { writer -> Outcome in
                let producer = makeProducer(after: .start)
                defer { producer.cancel() }
                var batch = Batch(
                    loader: try writer.bulkLoader(for: configuration.namespace), configuration: configuration)
                while let chunk = producer.next() {
                    consume(chunk)
                    try batch.apply(chunk, names: names)
                    dispose(chunk)
                }
                return try batch.finish()
            }
            report.add(outcome, limit: configuration.maximumReportedErrors)
        case .skip:
            // A commit every `batchSize` assets. Nothing is kept for a transaction that has to run
            // again: the reader starts over and skips the lines of the batches already committed.
            var producer = makeProducer(after: .start)
            defer { producer.cancel() }
            var committed = RecordProducer.Position.start
            var finished = false
            while !finished {
                var attempt = 0
                let (outcome, last, complete) = try store.write { writer -> (Outcome, RecordProducer.Position, Bool) in
                    attempt += 1
                    if attempt > 1 {
                        producer.cancel()
                        producer = makeProducer(after: committed)
                    }
                    var batch = Batch(
                        loader: try writer.bulkLoader(for: configuration.namespace), configuration: configuration)
                    var items = 0
                    var last = committed
                    while let chunk = producer.next() {
                        consume(chunk)
                        try batch.apply(chunk, names: names)
                        last = chunk.last
                        items += chunk.items.count
                        dispose(chunk)
                        if items >= configuration.batchSize { return (try batch.finish(), last, false) }
                    }
                    return (try batch.finish(), last, true)
                }
                report.add(outcome, limit: configuration.maximumReportedErrors)
                committed = last
                finished = complete
            }
        }
        report.lines = lastProgress?.lines ?? 0
        report.bytes = lastProgress?.bytesRead ?? 0
        let elapsed = (clock.now - start).components
        report.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return report
    }

    /// What one transaction did.
    struct Outcome {
        var summary: BulkLoader.Summary
        var labelsDefined: Int
        var badLines: Int
        var errors: [ImportLineError]
    }

    /// Applies decoded records to one transaction's bulk loader.
    struct Batch {
        let loader: BulkLoader
        let configuration: ImportConfiguration
        /// Interner index → label id in this transaction (ids made in an aborted attempt are gone).
        var labelIDs: [LabelID?] = []
        var labels: [(LabelID, Double?)] = []
        var labelsDefined = 0
        var badLines = 0
        var errors: [ImportLineError] = []

        init(loader: BulkLoader, configuration: ImportConfiguration) {
            self.loader = loader
            self.configuration = configuration
        }

        mutating func apply(_ chunk: RecordProducer.Chunk, names: [String]) throws {
            for item in chunk.items {
                switch item {
                case .unreadable(let file, let reason):
                    throw ImportError.unreadable(file: file, reason: reason)
                case .lineError(let error):
                    try reject(
                        ImportLineError(
                            file: error.file, line: error.line, column: error.column, reason: error.reason.description))
                case .record(let record, let file, let line):
                    do {
                        try apply(record, names: names)
                    } catch let error as LabelIndexError where error.isCausedByInput {
                        // A full disk or a storage failure stops the import; only a bad line is skipped.
                        try reject(ImportLineError(file: file, line: line, column: 1, reason: error.description))
                    }
                }
            }
        }

        private mutating func apply(_ record: InterchangeRecord, names: [String]) throws {
            switch record {
            case .label(let label):
                try loader.defineLabel(
                    named: label.name, color: label.color.flatMap(LabelColor.init(hex:)), parentName: label.parent,
                    weight: label.weight)
                labelsDefined += 1
            case .asset(let asset):
                labels.removeAll(keepingCapacity: true)
                for (index, weight) in asset.labels { labels.append((try labelID(index, names: names), weight)) }
                try loader.add(asset.key.engineKey, asset.attributes, labels: labels)
            }
        }

        private mutating func labelID(_ index: Int, names: [String]) throws -> LabelID {
            if index < labelIDs.count, let known = labelIDs[index] { return known }
            if index >= labelIDs.count {
                labelIDs.append(contentsOf: repeatElement(nil, count: index + 1 - labelIDs.count))
            }
            let id = try loader.labelID(named: names[index])
            labelIDs[index] = id
            return id
        }

        private mutating func reject(_ error: ImportLineError) throws {
            if configuration.onError == .stop { throw ImportError.badLine(error) }
            badLines += 1
            if errors.count < configuration.maximumReportedErrors { errors.append(error) }
        }

        func finish() throws -> Outcome {
            Outcome(summary: try loader.finish(), labelsDefined: labelsDefined, badLines: badLines, errors: errors)
        }
    }
}

extension ImportReport {
    mutating func add(_ outcome: Importer.Outcome, limit: Int) {
        assetsCreated += outcome.summary.created
        assetsUpdated += outcome.summary.updated
        assetsUnchanged += outcome.summary.unchanged
        labelsCreated += outcome.summary.labelsCreated
        labelsDefined += outcome.labelsDefined
        badLines += outcome.badLines
        errors.append(contentsOf: outcome.errors.prefix(max(0, limit - errors.count)))
    }
}

extension AssetRecord.Key {
    var engineKey: AssetKey {
        switch self {
        case .int(let id): .id(id)
        case .typed(let type, let id): .typed(type: type, id: id)
        }
    }
}

extension AssetRecord {
    var attributes: AssetAttributes {
        AssetAttributes(
            name: name, assetType: assetType, createdAt: createdAt.map(Self.date), updatedAt: updatedAt.map(Self.date),
            metadata: metadata)
    }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

import Foundation
import LabelCommands
import LabelFormats
import LabelIndex

/// A queued bulk label update (`PATCH /v1/asset/labels` over the async threshold), stored in
/// the store's application data so its progress survives with the data it changed: every
/// chunk's changes and the job's counters commit in the same transaction.
struct BulkJob: Codable, Sendable, Equatable {
    enum Status: String, Codable, Sendable {
        case queued, running, succeeded, failed
        /// The process stopped before the job finished; the chunks already committed stay.
        case interrupted
    }

    var id: String
    var account: String
    /// The tenant scope (`default`, `team/<id>`, …) the job changes.
    var scope: String
    /// `append`, `replace` or `delete`.
    var operation: String
    var labels: [String]
    var status: Status
    /// Assets the filters matched when the job was accepted.
    var matched: Int
    /// Of those, how many have been processed so far.
    var processed: Int
    /// Of those, how many actually changed.
    var changed: Int
    var createdAt: Int64
    var startedAt: Int64?
    var finishedAt: Int64?
    var error: String?

    static let storagePrefix = Array("labelserver/job/".utf8)

    static func storageKey(id: String) -> [UInt8] { storagePrefix + Array(id.utf8) }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<8).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }

    static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    func store(in writer: Writer) throws {
        try writer.setApplicationValue(Array(try JSONEncoder().encode(self)), forKey: Self.storageKey(id: id))
    }

    /// The command that stores this record.
    func storeCommand() throws -> WriteCommand {
        .setApplicationValue(key: Self.storageKey(id: id), value: Array(try JSONEncoder().encode(self)))
    }

    static func decode(_ bytes: [UInt8]) throws -> BulkJob { try JSONDecoder().decode(BulkJob.self, from: Data(bytes)) }

    static func load(id: String, from snapshot: Snapshot) throws -> BulkJob? {
        guard Self.isValidID(id), let bytes = try snapshot.applicationValue(forKey: storageKey(id: id)) else {
            return nil
        }
        return try decode(bytes)
    }

    static func load(id: String, from writer: Writer) throws -> BulkJob? {
        guard let bytes = try writer.applicationValue(forKey: storageKey(id: id)) else { return nil }
        return try decode(bytes)
    }

    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 16
            && id.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    /// Marks jobs left queued or running by a previous process as interrupted.
    static func markInterruptedJobs(in writer: Writer) throws -> Int {
        var count = 0
        for entry in try writer.applicationEntries(withPrefix: storagePrefix) {
            var job = try decode(entry.value)
            guard job.status == .queued || job.status == .running else { continue }
            job.status = .interrupted
            job.finishedAt = nowMilliseconds()
            job.error =
                "the server stopped before the job finished; \(job.processed) of \(job.matched) assets were processed"
            try job.store(in: writer)
            count += 1
        }
        return count
    }

    var json: JSONValue {
        func time(_ milliseconds: Int64?) -> JSONValue {
            milliseconds.map { .string(Timestamps.iso8601(Date(timeIntervalSince1970: Double($0) / 1000))) } ?? .null
        }
        return [
            "id": .string(id), "status": .string(status.rawValue), "scope": .string(scope),
            "update_type": .string(operation), "labels": .array(labels.map(JSONValue.string)),
            "asset_count": .int(matched), "processed": .int(processed), "changed": .int(changed),
            "created_at": time(createdAt), "started_at": time(startedAt), "finished_at": time(finishedAt),
            "error": error.json,
        ]
    }
}

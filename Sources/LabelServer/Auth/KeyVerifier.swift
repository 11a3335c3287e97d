import LabelIndex
import Synchronization

/// Checks presented API keys on every request. The key's record is read from the store each
/// time (so a revoked key fails on its next request, even when revoked by another process),
/// but decoding it is skipped while its stored bytes are unchanged: a request costs one LMDB
/// lookup and one SHA-256.
final class KeyVerifier: Sendable {
    private struct Entry {
        var stored: [UInt8]
        var digest: [UInt8]
        var grant: AccessGrant
    }

    private let store: LabelStore
    private let decoded = Mutex<[String: Entry]>([:])
    static let capacity = 4_096

    init(store: LabelStore) { self.store = store }

    /// The grant of `presented`, or `nil` when it is not a live key.
    func grant(forPresentedKey presented: String) throws -> AccessGrant? {
        guard let id = APIKeyToken.id(ofPresentedKey: presented),
            let stored = try store.read({ try $0.applicationValue(forKey: APIKeyRecord.storageKey(id: id)) })
        else { return nil }
        let entry: Entry
        if let cached = decoded.withLock({ $0[id] }), cached.stored == stored {
            entry = cached
        } else {
            let record = try APIKeyRecord.decode(stored)
            guard let digest = APIKeyToken.digestBytes(fromHex: record.sha256) else { return nil }
            entry = Entry(stored: stored, digest: digest, grant: try record.grant())
            decoded.withLock { entries in
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
                entries[id] = entry
            }
        }
        guard APIKeyToken.digestMatches(presented: presented, storedDigest: entry.digest) else { return nil }
        return entry.grant
    }
}

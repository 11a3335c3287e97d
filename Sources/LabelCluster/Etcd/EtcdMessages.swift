import Foundation

// The JSON shapes of etcd's v3 HTTP gateway (`/v3/...`, etcd 3.4): keys and values in base64,
// 64-bit integers as decimal strings, field names in snake_case as the gateway prints them.

/// One key-value pair as etcd returns it.
package struct EtcdKeyValue: Sendable, Hashable {
    package var key: [UInt8]
    package var value: [UInt8]
    package var createRevision: Int64
    package var modRevision: Int64
    package var version: Int64
    package var lease: Int64

    package var keyString: String { String(decoding: key, as: UTF8.self) }
    package var valueString: String { String(decoding: value, as: UTF8.self) }
}

/// The answer of a range read: the pairs and the store revision it saw.
package struct EtcdRange: Sendable {
    package var kvs: [EtcdKeyValue]
    package var count: Int64
    package var more: Bool
    package var revision: Int64
}

/// One condition of a transaction.
package enum EtcdCompare: Sendable {
    /// The key's value equals `value` (false when the key is missing).
    case valueEquals(key: String, value: [UInt8])
    /// The key's version equals `version`; version 0 means the key does not exist.
    case versionEquals(key: String, version: Int64)

    var json: [String: Any] {
        switch self {
        case .valueEquals(let key, let value):
            ["target": "VALUE", "result": "EQUAL", "key": EtcdJSON.base64(key), "value": EtcdJSON.base64(value)]
        case .versionEquals(let key, let version):
            ["target": "VERSION", "result": "EQUAL", "key": EtcdJSON.base64(key), "version": String(version)]
        }
    }
}

/// One operation of a transaction branch.
package enum EtcdOperation: Sendable {
    case put(key: String, value: [UInt8], lease: Int64 = 0)
    case get(key: String)
    /// Deletes the keys in [key, rangeEnd).
    case deleteRange(key: String, rangeEnd: String)

    var json: [String: Any] {
        switch self {
        case .put(let key, let value, let lease):
            var put: [String: Any] = ["key": EtcdJSON.base64(key), "value": EtcdJSON.base64(value)]
            if lease != 0 { put["lease"] = String(lease) }
            return ["request_put": put]
        case .get(let key):
            return ["request_range": ["key": EtcdJSON.base64(key)]]
        case .deleteRange(let key, let rangeEnd):
            return ["request_delete_range": ["key": EtcdJSON.base64(key), "range_end": EtcdJSON.base64(rangeEnd)]]
        }
    }
}

/// The answer of a transaction: which branch ran, and the pairs its `get`s read.
package struct EtcdTxnResult: Sendable {
    package var succeeded: Bool
    package var revision: Int64
    /// The pairs of every `get` of the branch that ran, in order.
    package var ranges: [[EtcdKeyValue]]
}

/// One change a watch reports.
package struct EtcdEvent: Sendable {
    package enum Kind: Sendable { case put, delete }
    package var kind: Kind
    package var kv: EtcdKeyValue
}

enum EtcdJSON {
    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func bytes(_ value: Any?) -> [UInt8] {
        guard let text = value as? String, let data = Data(base64Encoded: text) else { return [] }
        return Array(data)
    }

    /// etcd prints int64 as a string and leaves out zero values.
    static func int64(_ value: Any?) -> Int64 {
        if let text = value as? String { return Int64(text) ?? 0 }
        if let number = value as? NSNumber { return number.int64Value }
        return 0
    }

    static func keyValue(_ object: Any?) -> EtcdKeyValue? {
        guard let object = object as? [String: Any] else { return nil }
        return EtcdKeyValue(
            key: bytes(object["key"]), value: bytes(object["value"]), createRevision: int64(object["create_revision"]),
            modRevision: int64(object["mod_revision"]), version: int64(object["version"]),
            lease: int64(object["lease"]))
    }

    static func keyValues(_ object: Any?) -> [EtcdKeyValue] {
        (object as? [Any] ?? []).compactMap(keyValue)
    }

    static func revision(ofHeader object: Any?) -> Int64 {
        int64((object as? [String: Any])?["revision"])
    }
}

/// The smallest key greater than every key starting with `prefix` (etcd's `range_end` for a
/// prefix read).
package func etcdPrefixEnd(_ prefix: String) -> String {
    var bytes = Array(prefix.utf8)
    while let last = bytes.last {
        if last < 0xFF {
            bytes[bytes.count - 1] = last + 1
            return String(decoding: bytes, as: UTF8.self)
        }
        bytes.removeLast()
    }
    return "\0"
}

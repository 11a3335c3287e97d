import Crypto
import Foundation

/// The key format: `lix_<16 hex id>_<43 base64url characters of 256 random bits>`.
enum APIKeyToken {
    struct Generated {
        var id: String
        var secret: String
        var digestHex: String
    }

    static let prefix = "lix_"

    static func generate() -> Generated {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<8).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = idBytes.map { hex($0) }.joined()
        let secret = "\(prefix)\(id)_\(base64URL(secretBytes))"
        return Generated(id: id, secret: secret, digestHex: digest(secret).map { hex($0) }.joined())
    }

    static func isValidID(_ id: String) -> Bool {
        id.utf8.count == 16
            && id.utf8.allSatisfy {
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
            }
    }

    /// The id embedded in a presented key, when the key has the right shape.
    static func id(ofPresentedKey key: String) -> String? {
        let bytes = Array(key.utf8)
        guard bytes.count == prefix.utf8.count + 16 + 1 + 43, key.hasPrefix(prefix) else { return nil }
        let id = String(decoding: bytes[4..<20], as: UTF8.self)
        guard isValidID(id), bytes[20] == UInt8(ascii: "_") else { return nil }
        return id
    }

    /// Compares the presented key's digest with the stored one in time independent of where
    /// they differ.
    static func digestMatches(presented: String, storedHex: String) -> Bool {
        guard let stored = digestBytes(fromHex: storedHex) else { return false }
        return digestMatches(presented: presented, storedDigest: stored)
    }

    static func digestMatches(presented: String, storedDigest: [UInt8]) -> Bool {
        let computed = digest(presented)
        guard computed.count == storedDigest.count else { return false }
        var difference: UInt8 = 0
        for index in computed.indices { difference |= computed[index] ^ storedDigest[index] }
        return difference == 0
    }

    /// The 32 bytes of a 64-character hex digest.
    static func digestBytes(fromHex hex: String) -> [UInt8]? {
        let characters = Array(hex.utf8)
        guard characters.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = nibble(characters[index]), let low = nibble(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    private static func digest(_ text: String) -> [UInt8] { Array(SHA256.hash(data: Array(text.utf8))) }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

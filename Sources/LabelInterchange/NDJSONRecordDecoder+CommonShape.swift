extension NDJSONRecordDecoder {
    /// Decodes a line of the common shape in one tight pass, finding the line's end on the way:
    /// an asset with an integer `id`, a `name` without escapes and `labels` that are all
    /// printable-ASCII names without escapes, keys in any order, whitespace allowed. Bulk imports
    /// spend their time on such lines, and the general path (a separate search for the line feed,
    /// then value-by-value scanner calls) costs about twice as much.
    ///
    /// `bytes` run from the start of the line to the end of the buffered input. Returns the
    /// line's length (the offset of its line feed) with the record in `asset`, or `nil` for any
    /// other line, valid or not, including one not yet complete in `bytes`. The caller then runs
    /// the general decoder, which defines the format and reports errors. So this pass only needs
    /// to be right about the lines it accepts: for those it must produce exactly what the general
    /// decoder would (the tests check this on generated lines). A rejected line leaves the
    /// interner as it was.
    mutating func decodeCommonLine(_ bytes: UnsafeRawBufferPointer) -> Int? {
        labels.beginRecord()
        if let length = decodeCommonShape(bytes), length <= options.maximumLineBytes { return length }
        labels.abandonRecord()
        return nil
    }

    private mutating func decodeCommonShape(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let base = line.baseAddress, options.maximumNestingDepth >= 2 else { return nil }
        let n = line.count
        var p = 0
        @inline(__always) func byte(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        /// Skips spaces, tabs and carriage returns; returns whether a byte follows.
        @inline(__always) func skipSpace() -> Bool {
            guard p < n else { return false }
            // Compact JSON has no whitespace: settle that case with one comparison.
            if byte(p) > 0x20 { return true }
            while p < n {
                let b = byte(p)
                guard b == 0x20 || b == 0x09 || b == 0x0D else { return true }
                p += 1
            }
            return false
        }
        /// Reads a printable-ASCII string without escapes whose opening quote is at `p`.
        @inline(__always) func plainString() -> UnsafeRawBufferPointer? {
            guard byte(p) == UInt8(ascii: "\"") else { return nil }
            let end = JSONScanner.endOfPlainASCII(base, from: p + 1, to: n)
            guard end < n, byte(end) == UInt8(ascii: "\"") else { return nil }
            defer { p = end + 1 }
            return UnsafeRawBufferPointer(start: base + p + 1, count: end - p - 1)
        }

        guard skipSpace(), byte(p) == UInt8(ascii: "{") else { return nil }
        p += 1
        var seen: (id: Bool, name: Bool, labels: Bool) = (false, false, false)
        var id: Int64 = 0
        var name = ""
        asset.labels.removeAll(keepingCapacity: true)
        while true {
            guard skipSpace(), let key = plainString(), skipSpace(), byte(p) == UInt8(ascii: ":") else { return nil }
            p += 1
            guard skipSpace() else { return nil }
            switch Field(key: key) {
            case .id where !seen.id:
                seen.id = true
                guard let value = integer(base, &p, n) else { return nil }
                id = value
            case .name where !seen.name:
                seen.name = true
                guard byte(p) == UInt8(ascii: "\"") else { return nil }
                // Any valid string without escapes: non-ASCII names are common enough.
                var scanner = JSONScanner(line)
                scanner.offset = p
                guard let token = try? scanner.scanString(), !token.hasEscapes else { return nil }
                p = scanner.offset
                name = String(decoding: scanner.rawBytes(of: token), as: UTF8.self)
            case .labels where !seen.labels:
                seen.labels = true
                guard byte(p) == UInt8(ascii: "[") else { return nil }
                p += 1
                guard skipSpace() else { return nil }
                if byte(p) == UInt8(ascii: "]") {
                    p += 1
                    break
                }
                while true {
                    guard let label = plainString(), !label.isEmpty, label.count <= labels.maximumNameBytes,
                        let index = labels.internOnce(label)
                    else { return nil }
                    asset.labels.append((index, nil))
                    guard skipSpace() else { return nil }
                    if byte(p) == UInt8(ascii: ",") {
                        p += 1
                        guard skipSpace() else { return nil }
                        continue
                    }
                    guard byte(p) == UInt8(ascii: "]") else { return nil }
                    p += 1
                    break
                }
            default:
                return nil
            }
            guard skipSpace() else { return nil }
            if byte(p) == UInt8(ascii: ",") {
                p += 1
                continue
            }
            guard byte(p) == UInt8(ascii: "}") else { return nil }
            p += 1
            break
        }
        guard skipSpace(), byte(p) == 0x0A, seen.id else { return nil }
        asset.key = .int(id)
        asset.name = name
        asset.assetType = nil
        asset.createdAt = nil
        asset.updatedAt = nil
        asset.metadata = nil
        return p
    }

    /// Reads a JSON integer within `Int64` at `p`; `nil` for anything else (fractions, exponents,
    /// leading zeros, overflow), which the general decoder then reports.
    @inline(__always) private func integer(_ base: UnsafeRawPointer, _ p: inout Int, _ n: Int) -> Int64? {
        @inline(__always) func digit(_ i: Int) -> UInt64? {
            guard i < n else { return nil }
            let d = base.load(fromByteOffset: i, as: UInt8.self) &- UInt8(ascii: "0")
            return d < 10 ? UInt64(d) : nil
        }
        var i = p
        let negative = base.load(fromByteOffset: i, as: UInt8.self) == UInt8(ascii: "-")
        if negative { i += 1 }
        let start = i
        guard var magnitude = digit(i) else { return nil }
        i += 1
        if magnitude == 0 {
            if digit(i) != nil { return nil }
        } else {
            // Up to 18 digits cannot overflow a UInt64 (10^18 < 2^64); a 19th is checked.
            while i - start < 18, let d = digit(i) {
                magnitude = magnitude &* 10 &+ d
                i += 1
            }
            if let d = digit(i) {
                let (shifted, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (next, overflowB) = shifted.addingReportingOverflow(d)
                guard !overflowA && !overflowB, digit(i + 1) == nil else { return nil }
                magnitude = next
                i += 1
            }
        }
        if i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            guard b != UInt8(ascii: "."), b != UInt8(ascii: "e"), b != UInt8(ascii: "E") else { return nil }
        }
        guard magnitude <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else { return nil }
        p = i
        return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
    }
}

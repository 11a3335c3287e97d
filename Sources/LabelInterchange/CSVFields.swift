/// RFC 4180 syntax: where records end, and the unquoted contents of a record's fields.
struct CSVFields {
    /// The fields of the last record split, unquoted, back to back.
    private(set) var bytes: [UInt8] = []
    /// Where each field lies in `bytes`.
    private(set) var ranges: [Range<Int>] = []
    /// Where each field starts in the record, for error columns.
    private(set) var offsets: [Int] = []

    var count: Int { ranges.count }

    /// The end of the record starting at `start`: the offset of the line feed ending it and how
    /// many line feeds it contains inside quoted fields; `nil` if `start..<end` does not hold the
    /// whole record.
    static func recordEnd(
        _ base: UnsafeRawPointer, from start: Int, to end: Int
    ) -> (lineFeed: Int, innerLineFeeds: Int)? {
        // Quotes only open a quoted field at the start of a field; elsewhere they are left for
        // `split` to reject, so one stray quote cannot swallow the rest of the file.
        var atFieldStart = true
        var inQuotes = false
        var innerLineFeeds = 0
        var p = start
        while p < end {
            let b = base.load(fromByteOffset: p, as: UInt8.self)
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    inQuotes = false  // Either the closing quote or the first of a doubled pair.
                } else if b == 0x0A {
                    innerLineFeeds += 1
                }
            } else if b == 0x0A {
                return (p, innerLineFeeds)
            } else if b == UInt8(ascii: ",") {
                atFieldStart = true
            } else if b == UInt8(ascii: "\"") && atFieldStart {
                inQuotes = true
                atFieldStart = false
            } else if b == UInt8(ascii: "\"") && p > start
                && base.load(fromByteOffset: p - 1, as: UInt8.self) == UInt8(ascii: "\"")
            {
                inQuotes = true  // The second quote of a doubled pair inside a quoted field.
            } else {
                atFieldStart = false
            }
            p += 1
        }
        return nil
    }

    /// Splits one record (without its line end) into unquoted fields.
    mutating func split(_ record: UnsafeRawBufferPointer) throws(RecordFailure) {
        bytes.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        let n = record.count
        var p = 0
        while true {
            let fieldStart = p
            let contentStart = bytes.count
            if p < n && record[p] == UInt8(ascii: "\"") {
                p += 1
                while true {
                    guard p < n else {
                        throw RecordFailure(offset: fieldStart, reason: .malformedCSV("unterminated quoted field"))
                    }
                    let b = record[p]
                    p += 1
                    if b == UInt8(ascii: "\"") {
                        guard p < n && record[p] == UInt8(ascii: "\"") else { break }
                        p += 1
                    }
                    bytes.append(b)
                }
                guard p == n || record[p] == UInt8(ascii: ",") else {
                    throw RecordFailure(
                        offset: p, reason: .malformedCSV("unexpected character after the closing quote of a field"))
                }
            } else {
                while p < n && record[p] != UInt8(ascii: ",") {
                    guard record[p] != UInt8(ascii: "\"") else {
                        throw RecordFailure(
                            offset: p,
                            reason: .malformedCSV(
                                "quote inside an unquoted field (quote the field and double the quote)"))
                    }
                    bytes.append(record[p])
                    p += 1
                }
            }
            ranges.append(contentStart..<bytes.count)
            offsets.append(fieldStart)
            guard p < n else { return }
            p += 1  // The comma.
        }
    }
}

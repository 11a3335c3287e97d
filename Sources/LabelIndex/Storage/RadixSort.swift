/// Sorting the (sortable id, ordinal) entries of a bulk load by id: a least-significant-digit
/// radix sort, 16 bits a pass, linear in the count. A million random ids sort several times
/// faster than with a comparison sort, which matters because the load waits for it.
enum RadixSort {
    /// Below this many entries a comparison sort is as fast and needs no scratch space.
    static let threshold = 4_096

    /// Sorts `entries` by their first element, ascending; equal keys keep their order.
    static func sortByKey(_ entries: inout [(UInt64, UInt32)]) { sort(&entries, by: { $0.0 }) }

    /// Sorts `values` ascending (the memberships `verify()` compares with the postings).
    static func sort(_ values: inout [UInt64]) { sort(&values, by: { $0 }) }

    @inline(__always)
    private static func sort<Element>(_ entries: inout [Element], by key: (Element) -> UInt64) {
        let count = entries.count
        guard count >= threshold else {
            entries.sort { key($0) < key($1) }
            return
        }
        var scratch = entries
        var buckets = [Int](repeating: 0, count: 1 << 16)
        entries.withUnsafeMutableBufferPointer { entries in
            scratch.withUnsafeMutableBufferPointer { scratch in
                buckets.withUnsafeMutableBufferPointer { buckets in
                    var source = entries
                    var target = scratch
                    for pass in 0..<4 {
                        let shift = UInt64(pass * 16)
                        buckets.update(repeating: 0)
                        for entry in source { buckets[Int(truncatingIfNeeded: key(entry) >> shift) & 0xFFFF] += 1 }
                        // A digit all keys share (high bits of small ids) orders nothing.
                        if buckets.contains(count) { continue }
                        var offset = 0
                        for digit in 0..<buckets.count {
                            let size = buckets[digit]
                            buckets[digit] = offset
                            offset += size
                        }
                        for entry in source {
                            let digit = Int(truncatingIfNeeded: key(entry) >> shift) & 0xFFFF
                            target[buckets[digit]] = entry
                            buckets[digit] += 1
                        }
                        swap(&source, &target)
                    }
                    if source.baseAddress != entries.baseAddress {
                        entries.baseAddress!.update(from: source.baseAddress!, count: count)
                    }
                }
            }
        }
    }
}

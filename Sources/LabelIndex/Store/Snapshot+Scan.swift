import LMDB

extension Snapshot {
    /// What one pass over every entry of every database reads: the floor `verify()` is
    /// measured against (`labelindex-bench verify`). Every value byte is read, so the pages
    /// are touched as a check that decodes them would.
    package func scanEveryEntry() throws -> (entries: Int, bytes: Int, checksum: UInt64) {
        var entries = 0
        var bytes = 0
        var checksum: UInt64 = 0
        for (_, database) in store.schema.all {
            try transaction.withCursor(on: database) { cursor in
                var operation = CursorOperation.first
                while try cursor.get(
                    operation,
                    { key, value -> Void in
                        entries += 1
                        bytes += key.count + value.count
                        for byte in value { checksum = checksum &* 31 &+ UInt64(byte) }
                    }) != nil
                {
                    operation = .next
                }
            }
        }
        return (entries, bytes, checksum)
    }
}

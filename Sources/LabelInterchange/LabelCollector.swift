/// A record that could not be decoded: where in its line and why. Readers turn it into a `LineError`.
struct RecordFailure: Error {
    var offset: Int
    var reason: LineErrorReason
}

/// Validates label names and interns them, one record at a time.
///
/// A record's names are interned as they are read, so that a good record costs one probe per
/// label; if the record turns out to be bad, `abandonRecord()` takes back the names it added, so
/// the interner only ever holds names of records that were delivered.
struct LabelCollector {
    var interner: LabelInterner
    let maximumNameBytes: Int
    /// The current record's serial, used to mark its names in the interner: a name already
    /// carrying the mark is a duplicate, found in the same probe that interns it.
    private var serial: UInt32 = 0
    private var countAtRecordStart = 0

    init(interner: LabelInterner, maximumNameBytes: Int) {
        self.interner = interner
        self.maximumNameBytes = maximumNameBytes
        // An interner handed over from another reader carries that reader's marks.
        self.interner.clearMarks()
    }

    mutating func beginRecord() {
        serial &+= 1
        if serial == 0 {
            // After 2^32 records the serials wrap; forget old marks so none looks current.
            interner.clearMarks()
            serial = 1
        }
        interner.prepareForMarking()
        countAtRecordStart = interner.count
    }

    /// Takes back the names the current record added; its marks expire with the next serial.
    mutating func abandonRecord() {
        interner.removeNames(from: countAtRecordStart)
    }

    /// Validates and interns one label of the current record; `offset` locates it for errors.
    @inline(__always) mutating func add(_ name: UnsafeRawBufferPointer, at offset: Int) throws(RecordFailure) -> Int {
        if let problem = Self.problem(with: name, limit: maximumNameBytes) {
            throw RecordFailure(
                offset: offset,
                reason: .invalidLabelName(name: String(decoding: name, as: UTF8.self), problem: problem))
        }
        guard let index = internOnce(name) else {
            throw RecordFailure(offset: offset, reason: .duplicateLabel(String(decoding: name, as: UTF8.self)))
        }
        return index
    }

    /// Interns a name already known to be valid; `nil` if the current record has it already.
    @inline(__always) mutating func internOnce(_ name: UnsafeRawBufferPointer) -> Int? {
        let (index, wasMarked) = interner.intern(name, mark: serial)
        return wasMarked ? nil : index
    }

    /// What is wrong with a label name given as valid UTF-8, if anything.
    static func problem(with name: UnsafeRawBufferPointer, limit: Int) -> LabelNameProblem? {
        let n = name.count
        guard n > 0 else { return .empty }
        guard n <= limit else { return .tooLong(limit: limit) }
        return mayContainControlCharacter(name) && containsControlCharacter(name) ? .controlCharacter : nil
    }

    /// A quick test, eight bytes at a time, for bytes that could belong to a control character:
    /// anything below 0x20, 0x7F, and 0xC2 (the lead byte of U+0080–U+00BF).
    @inline(__always) static func mayContainControlCharacter(_ name: UnsafeRawBufferPointer) -> Bool {
        let n = name.count
        let base = name.baseAddress!
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        while i + 8 <= n {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let del = word ^ (ones &* 0x7F)
            let lead = word ^ (ones &* 0xC2)
            let flags = ((word &- ones &* 0x20) & ~word) | ((del &- ones) & ~del) | ((lead &- ones) & ~lead)
            if flags & (ones &* 0x80) != 0 { return true }
            i += 8
        }
        while i < n {
            let b = name[i]
            if b < 0x20 || b == 0x7F || b == 0xC2 { return true }
            i += 1
        }
        return false
    }

    static func containsControlCharacter(_ name: UnsafeRawBufferPointer) -> Bool {
        for i in name.indices {
            let b = name[i]
            if b < 0x20 || b == 0x7F { return true }
            if b == 0xC2 && i + 1 < name.count && name[i + 1] < 0xA0 { return true }
        }
        return false
    }
}

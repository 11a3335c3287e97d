import LabelIndex

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
        if let problem = NameRule.violation(ofUTF8: name, limit: maximumNameBytes) {
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
}

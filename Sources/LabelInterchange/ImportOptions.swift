import LabelIndex

/// Settings shared by `NDJSONReader` and `CSVReader`.
public struct ImportOptions: Sendable, Equatable {
    /// When `true`, keys (NDJSON) and columns (CSV) the format does not define are skipped;
    /// when `false` (the default) they are reported, so that a misspelt `lables` is not silently lost.
    public var ignoresUnknownKeys: Bool

    /// The longest accepted label name, in UTF-8 bytes.
    public var maximumLabelNameBytes: Int

    /// How deeply arrays and objects may nest in an NDJSON line (the line's own object counts as 1).
    public var maximumNestingDepth: Int

    /// How many bytes are read from the source at a time.
    public var blockSize: Int

    /// The longest accepted line (NDJSON) or record (CSV), in bytes. Longer ones are reported and
    /// skipped; the reader's memory stays bounded by `max(blockSize, 2 × maximumLineBytes)`.
    public var maximumLineBytes: Int

    /// Creates options; the defaults suit files of millions of lines.
    public init(
        ignoresUnknownKeys: Bool = false,
        maximumLabelNameBytes: Int = NameRule.defaultLabelNameBytes,
        maximumNestingDepth: Int = JSONScanner.defaultMaximumDepth,
        blockSize: Int = 8 << 20,
        maximumLineBytes: Int = 64 << 20
    ) {
        precondition(maximumLabelNameBytes > 0, "maximumLabelNameBytes must be positive")
        precondition(maximumNestingDepth > 0, "maximumNestingDepth must be positive")
        precondition(blockSize > 0, "blockSize must be positive")
        precondition(maximumLineBytes > 0, "maximumLineBytes must be positive")
        self.ignoresUnknownKeys = ignoresUnknownKeys
        self.maximumLabelNameBytes = maximumLabelNameBytes
        self.maximumNestingDepth = maximumNestingDepth
        self.blockSize = blockSize
        self.maximumLineBytes = maximumLineBytes
    }
}

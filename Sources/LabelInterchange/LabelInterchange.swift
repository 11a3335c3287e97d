// LabelInterchange: reading and writing the import/export formats of LabelIndex.
//
// This module owns the byte-level formats only: a validating JSON scanner, the NDJSON record
// format (documented in LabelInterchange.docc/FORMAT.md), RFC 4180 CSV input, RFC 3339 timestamps
// and the label-name interner that turns millions of label occurrences into dense integers.
// It knows nothing of LMDB or the engine: readers hand out `AssetRecord`/`LabelRecord` values and
// the engine's bulk loader decides what to do with them. Only the standard library is used on the
// parsing path; Foundation (and the platform C library it re-exports) appears only for file I/O.

/// One decoded line (NDJSON) or row (CSV) of an import file.
public enum InterchangeRecord: Sendable, Equatable {
    /// An asset with its labels.
    case asset(AssetRecord)
    /// A label definition (colour, parent, weight).
    case label(LabelRecord)
}

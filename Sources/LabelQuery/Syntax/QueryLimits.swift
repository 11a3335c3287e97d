import LabelIndex

/// Bounds that keep parsing, and everything downstream of the AST, cheap and safe on hostile input.
///
/// Every limit of the text has its own `QuerySyntaxError.Kind`, whose message names the limit and
/// its value; `maxExpandedLabels`, which depends on the namespace's labels, is checked when the
/// query is planned and fails with `QueryError.tooManyExpandedLabels`.
public struct QueryLimits: Hashable, Sendable {
    /// The longest accepted query, in UTF-8 bytes. Default: 4 MiB, room for 100,000 asset ids.
    public var maxLength: Int
    /// The deepest accepted nesting; every enclosing `(` and every `NOT` or `-` that applies to a
    /// term counts one level. Default: 64. It also bounds the depth of the AST, so code that walks
    /// the AST recursively cannot be driven into a stack overflow: keep it in the hundreds, as
    /// printing, comparing, hashing and releasing an expression recurse once per level.
    public var maxDepth: Int
    /// The most terms in one query: every item of a `label:` or `under:` list and every `*`,
    /// `has:label`, `no:label` and `asset:` term counts one. Default: 10,000.
    public var maxTerms: Int
    /// The most asset references over the whole query. Default: 1,000,000.
    public var maxAssetReferences: Int
    /// The longest label name or prefix, in UTF-8 bytes after unescaping. Default: 255.
    public var maxNameLength: Int
    /// The longest asset type (`form` in `asset:form:123`), in UTF-8 bytes. Default: 64.
    public var maxAssetTypeLength: Int
    /// The longest typed asset id (`123` in `asset:form:123`), in UTF-8 bytes after unescaping.
    /// Default: 255.
    public var maxAssetIDLength: Int
    /// The most labels the `label:PREFIX*` and `under:NAME` terms of one query may reach, summed
    /// over every such term (a term written twice counts twice): each label reached is a list the
    /// query reads in every block, so one short term can cost as much as thousands of exact ones.
    /// Checked when the query is planned against a namespace's labels; past it the query fails
    /// with `QueryError.tooManyExpandedLabels`. `label:*` (every label, read as `has:label`)
    /// reaches none. Default: 10,000.
    public var maxExpandedLabels: Int

    /// Creates limits; every argument defaults to the documented default.
    public init(
        maxLength: Int = 4 * 1024 * 1024,
        maxDepth: Int = 64,
        maxTerms: Int = 10_000,
        maxAssetReferences: Int = 1_000_000,
        maxNameLength: Int = NameRule.defaultLabelNameBytes,
        maxAssetTypeLength: Int = 64,
        maxAssetIDLength: Int = NameRule.assetStringIDBytes,
        maxExpandedLabels: Int = 10_000
    ) {
        self.maxLength = maxLength
        self.maxDepth = maxDepth
        self.maxTerms = maxTerms
        self.maxAssetReferences = maxAssetReferences
        self.maxNameLength = maxNameLength
        self.maxAssetTypeLength = maxAssetTypeLength
        self.maxAssetIDLength = maxAssetIDLength
        self.maxExpandedLabels = maxExpandedLabels
    }
}

import LabelIndex

/// What each asset of a page carries.
public enum PageContents: Hashable, Sendable {
    /// Ordinals only (`QueryResult.ordinals`): positions in the namespace, for a caller that
    /// reads the assets itself in the same snapshot.
    case ordinals
    /// The assets' keys (`QueryResult.keys`), their ids, read without decoding whole records.
    case keys
    /// Whole assets (`QueryResult.assets`): key, name, type, timestamps, metadata and labels in
    /// order with weights.
    case assets
}

/// What to compute for a query.
public struct QueryRequest: Hashable, Sendable {
    /// Page size; 0 asks for no page (with `includeCount`, a count-only query).
    public var limit: Int
    /// Continue after the page that returned this cursor.
    public var cursor: QueryCursor?
    /// Compute the exact number of matches. Leave it off for the fastest first page: the
    /// page then costs only the blocks it reads.
    public var includeCount: Bool
    /// What each asset of the page carries (`ordinals` are always returned).
    public var contents: PageContents
    /// Label names to count among the matches.
    public var facets: [String]
    /// Also return the plan with estimated and actual cardinalities and timings.
    public var explain: Bool
    /// The most work and time the request may take (count, page, facets and explain together),
    /// and the flag that cancels it. Default: `QueryBudget()`.
    public var budget: QueryBudget

    /// The largest page.
    public static let maximumLimit = 10_000

    /// Namespaces of at most this many 65,536-asset blocks (about two million assets) load
    /// whole lists for pages too; tests lower it to reach the strictly lazy path.
    var smallNamespaceBlocks = 32

    public init(
        limit: Int = 100, cursor: QueryCursor? = nil, includeCount: Bool = true, contents: PageContents = .assets,
        facets: [String] = [], explain: Bool = false, budget: QueryBudget = QueryBudget()
    ) {
        self.limit = limit
        self.cursor = cursor
        self.includeCount = includeCount
        self.contents = contents
        self.facets = facets
        self.explain = explain
        self.budget = budget
    }
}

/// The outcome of a query.
public struct QueryResult: Sendable {
    /// Exact number of matches, when requested.
    public var count: Int?
    /// The page, in ordinal (creation) order.
    public var ordinals: [AssetOrdinal]
    /// The page's assets, when `contents` is `.assets`.
    public var assets: [Asset]
    /// The page's asset keys, when `contents` is `.keys`.
    public var keys: [AssetKey] = []
    /// Present when more matches follow the page.
    public var nextCursor: QueryCursor?
    /// Per requested facet: the label and how many matches carry it (0 for a name that is no
    /// label).
    public var facets: [Facet]
    public var warnings: [QueryWarning]
    public var explanation: QueryExplanation?

    public struct Facet: Hashable, Sendable {
        public var label: String
        public var count: Int

        public init(label: String, count: Int) {
            self.label = label
            self.count = count
        }
    }
}

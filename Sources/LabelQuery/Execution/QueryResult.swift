import LabelIndex

/// What to compute for a query.
public struct QueryRequest: Hashable, Sendable {
    /// Page size; 0 asks for no page (with `includeCount`, a count-only query).
    public var limit: Int
    /// Continue after the page that returned this cursor.
    public var cursor: QueryCursor?
    /// Compute the exact number of matches. Leave it off for the fastest first page: the
    /// page then costs only the blocks it reads.
    public var includeCount: Bool
    /// Read the page's assets (attributes and labels); otherwise only ordinals are returned.
    public var includeAssets: Bool
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
        limit: Int = 100, cursor: QueryCursor? = nil, includeCount: Bool = true, includeAssets: Bool = true,
        facets: [String] = [], explain: Bool = false, budget: QueryBudget = QueryBudget()
    ) {
        self.limit = limit
        self.cursor = cursor
        self.includeCount = includeCount
        self.includeAssets = includeAssets
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
    /// The page's assets, when requested.
    public var assets: [Asset]
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

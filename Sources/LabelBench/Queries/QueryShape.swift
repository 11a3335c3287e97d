/// The twelve query shapes every benchmark run measures, each instantiated with concrete
/// labels by `Workload.queries()`. Raw values double as query ids in `queries.tsv`.
public enum QueryShape: String, CaseIterable, Codable, Sendable {
    /// `pop`
    case singlePopular = "single-popular"
    /// `rare`
    case singleRare = "single-rare"
    /// `pop1 AND pop2`
    case popularAndPopular = "popular-and-popular"
    /// `pop1 AND NOT pop3`
    case popularAndNotPopular = "popular-and-not-popular"
    /// `(pop2 OR mid1) AND NOT pop3`
    case unionExcept = "union-except"
    /// `rare AND pop1`
    case rareAndPopular = "rare-and-popular"
    /// `mid1 OR mid2 OR mid3 OR mid4 OR mid5`, mids spread over the tail
    case fiveMidUnion = "five-mid-union"
    /// `pop1 AND pop2 AND mid`
    case threeTermIntersection = "three-term-intersection"
    /// `NOT pop1`: every asset without it, unlabeled assets included
    case pureNot = "pure-not"
    /// `(pop1 AND (mid1 OR mid2)) AND NOT (rare OR pop2)`
    case nestedMix = "nested-mix"
    /// Two labels that never share an asset
    case emptyIntersection = "empty-intersection"
    /// `mid1 AND mid2`
    case midAndMid = "mid-and-mid"
}

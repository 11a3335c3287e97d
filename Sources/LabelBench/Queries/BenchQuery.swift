/// One query shape instantiated with concrete labels of a workload.
public struct BenchQuery: Hashable, Codable, Sendable {
    /// Stable id, the shape's raw value (`queries.tsv`'s first column).
    public var id: String
    public var shape: QueryShape
    /// The query in LabelIndex's query language.
    public var text: String
    /// The same query as a tree over label indices, for the SQL and floor evaluations.
    public var expression: ShapeExpression

    public init(id: String, shape: QueryShape, text: String, expression: ShapeExpression) {
        self.id = id
        self.shape = shape
        self.text = text
        self.expression = expression
    }
}

extension Workload {
    /// One query per shape, in `QueryShape.allCases` order, deterministic for a workload.
    ///
    /// Only leaf labels are used, so results do not depend on whether an engine expands a
    /// parent label to its descendants. Within each class labels are ranked by how many assets
    /// carry them; rare picks skip labels no asset carries.
    public func queries() -> [BenchQuery] {
        let counts = labelAssetCounts()
        let isLeaf = leafFlags()
        func ranked(_ popularity: LabelPopularity, minimumCount: Int = 0) -> [Int] {
            labels(in: popularity)
                .filter { isLeaf[$0] && counts[$0] >= minimumCount }
                .sorted { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        }
        let popular = ranked(.popular).map(ShapeExpression.label)
        let mid = ranked(.mid).map(ShapeExpression.label)
        let rareLabels = ranked(.rare, minimumCount: 1)
        let rare = rareLabels.isEmpty ? ranked(.rare).map(ShapeExpression.label) : rareLabels.map(ShapeExpression.label)
        let rareA = rare[rare.count / 2]
        let rareB = rare[rare.count / 4]
        let spread = (0..<5).map { mid[$0 * mid.count / 5 + mid.count / 10] }
        let disjoint = disjointLabels

        let names = labels.map(\.name)
        return QueryShape.allCases.map { shape in
            let expression: ShapeExpression =
                switch shape {
                case .singlePopular: popular[0]
                case .singleRare: rareA
                case .popularAndPopular: .and([popular[0], popular[1]])
                case .popularAndNotPopular: .and([popular[0], .not(popular[2])])
                case .unionExcept: .and([.or([popular[1], mid[0]]), .not(popular[2])])
                case .rareAndPopular: .and([rareA, popular[0]])
                case .fiveMidUnion: .or(spread)
                case .threeTermIntersection: .and([popular[0], popular[1], mid[2]])
                case .pureNot: .not(popular[0])
                case .nestedMix: .and([.and([popular[0], .or([mid[3], mid[4]])]), .not(.or([rareB, popular[1]]))])
                case .emptyIntersection: .and([.label(disjoint.first), .label(disjoint.second)])
                case .midAndMid: .and([mid[0], mid[1]])
                }
            return BenchQuery(
                id: shape.rawValue, shape: shape, text: expression.text(labelNames: names), expression: expression)
        }
    }
}

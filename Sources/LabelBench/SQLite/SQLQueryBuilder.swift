/// The two ways a bench query can be phrased in SQL over the baseline schema.
public enum SQLForm: String, CaseIterable, Codable, Sendable {
    /// Scan the rows of the rarest positive label (an `IN` list for a union of labels, the
    /// `assets` table when there is no positive label) in `ord` order and test every other
    /// term with `EXISTS`/`NOT EXISTS` primary-key probes.
    case probe
    /// Combine one `SELECT ord FROM asset_labels WHERE label_id = ?` per label with
    /// `INTERSECT`/`EXCEPT`/`UNION` (`SELECT ord FROM assets EXCEPT …` for pure NOT).
    case compound
}

/// What a statement computes for a query.
public enum SQLPurpose: String, CaseIterable, Codable, Sendable {
    /// The number of matching assets.
    case count
    /// The first `limit` matching ordinals, ascending (`LIMIT` is the last parameter).
    case firstPage
}

/// SQL text with its parameters (label ids) in binding order.
struct SQLText: Hashable {
    var sql: String
    var parameters: [Int64]
}

/// Turns a `ShapeExpression` into SQL of either form. `cardinality` (assets per label) and
/// `assetCount` only steer choices such as the driving label; they never change results.
struct SQLQueryBuilder {
    let cardinality: (Int) -> Int
    let assetCount: Int

    func sql(for expression: ShapeExpression, form: SQLForm, purpose: SQLPurpose, limit: Int = 100) -> SQLText {
        var parameters: [Int64] = []
        let flat = expression.flattened
        let sql: String
        switch form {
        case .probe: sql = probe(flat, purpose: purpose, limit: limit, parameters: &parameters)
        case .compound: sql = compound(flat, purpose: purpose, parameters: &parameters)
        }
        return SQLText(sql: sql, parameters: parameters)
    }

    // MARK: Estimates

    /// Share of assets matching, assuming labels are independent (as the generator makes them).
    private func selectivity(_ expression: ShapeExpression) -> Double {
        let total = Double(max(1, assetCount))
        switch expression {
        case .label(let label): return min(1, Double(cardinality(label)) / total)
        case .not(let operand): return 1 - selectivity(operand)
        case .and(let operands): return operands.reduce(1) { $0 * selectivity($1) }
        case .or(let operands): return 1 - operands.reduce(1) { $0 * (1 - selectivity($1)) }
        }
    }

    /// Rows of `asset_labels` that an expression's labels occupy (what a scan of them reads).
    private func rows(_ expression: ShapeExpression) -> Double {
        expression.labels.reduce(0) { $0 + Double(cardinality($1)) }
    }

    // MARK: Probe form

    private enum Driver {
        /// One label's rows: arrive in `ord` order.
        case label(Int)
        /// A union of labels' rows via `IN`: need DISTINCT and a sort.
        case anyLabel([Int])
        /// Every asset in `ord` order.
        case assets
    }

    private static func isLabel(_ expression: ShapeExpression) -> Bool {
        if case .label = expression { true } else { false }
    }

    /// The cheapest way to produce candidate rows, and the conditions still to test on them.
    ///
    /// Cost = rows read × (1 + probes per row). A count reads all of the driver's rows; a first
    /// page stops after `limit` matches, so an ordered driver reads only the share of its rows
    /// needed to find them, while an `IN` driver must read and sort all of its rows first.
    private func driver(
        for expression: ShapeExpression, purpose: SQLPurpose, limit: Int
    ) -> (Driver, residual: ShapeExpression?) {
        let terms: [ShapeExpression]
        if case .and(let operands) = expression { terms = operands } else { terms = [expression] }
        let matches = selectivity(expression) * Double(assetCount)
        let orderedShare = purpose == .count ? 1 : min(1, Double(limit) / max(1, matches))
        let probesPerRow = Double(expression.labels.count)

        var best: (driver: Driver, residual: ShapeExpression?, cost: Double) = (
            .assets, expression, Double(assetCount) * orderedShare * (1 + probesPerRow)
        )
        for (index, term) in terms.enumerated() {
            var rest = terms
            rest.remove(at: index)
            let residual: ShapeExpression? = rest.isEmpty ? nil : rest.count == 1 ? rest[0] : .and(rest)
            let probes = Double(residual?.labels.count ?? 0)
            switch term {
            case .label(let label):
                let cost = Double(cardinality(label)) * orderedShare * (1 + probes)
                if cost < best.cost { best = (.label(label), residual, cost) }
            case .or(let operands) where operands.allSatisfy(Self.isLabel):
                let cost = rows(term) * (1 + probes)
                if cost < best.cost { best = (.anyLabel(term.labels), residual, cost) }
            default:
                break
            }
        }
        return (best.driver, best.residual)
    }

    private func probe(
        _ expression: ShapeExpression, purpose: SQLPurpose, limit: Int, parameters: inout [Int64]
    ) -> String {
        let (driver, residual) = driver(for: expression, purpose: purpose, limit: limit)
        var conditions: [String] = []
        let table: String
        var distinct = false
        switch driver {
        case .label(let label):
            table = "asset_labels"
            conditions.append("d.label_id = ?")
            parameters.append(Int64(label))
        case .anyLabel(let labels):
            table = "asset_labels"
            distinct = true
            conditions.append("d.label_id IN (" + labels.map { _ in "?" }.joined(separator: ", ") + ")")
            parameters += labels.map(Int64.init)
        case .assets:
            table = "assets"
        }
        if let residual { conditions.append(predicate(residual, parameters: &parameters)) }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        switch purpose {
        case .count:
            let counted = distinct ? "count(DISTINCT d.ord)" : "count(*)"
            return "SELECT \(counted) FROM \(table) AS d\(whereClause)"
        case .firstPage:
            return "SELECT \(distinct ? "DISTINCT " : "")d.ord FROM \(table) AS d\(whereClause) ORDER BY d.ord LIMIT ?"
        }
    }

    /// A condition on the driving row `d` (its column `ord`).
    private func predicate(_ expression: ShapeExpression, parameters: inout [Int64]) -> String {
        switch expression {
        case .label(let label):
            parameters.append(Int64(label))
            return "EXISTS (SELECT 1 FROM asset_labels WHERE label_id = ? AND ord = d.ord)"
        case .not(let operand):
            return "NOT " + predicate(operand, parameters: &parameters)
        case .and(let operands):
            return "(" + operands.map { predicate($0, parameters: &parameters) }.joined(separator: " AND ") + ")"
        case .or(let operands):
            return "(" + operands.map { predicate($0, parameters: &parameters) }.joined(separator: " OR ") + ")"
        }
    }

    // MARK: Compound form

    /// With `ORDER BY ord` every operand streams from the `(label_id, ord)` key in order and
    /// SQLite merges them (`MERGE (INTERSECT)` in the plan) instead of filling temporary
    /// b-trees; a first page then stops after `limit` rows. Counts wrap the ordered compound,
    /// which keeps the merge: on the 100,000-asset workload `popular AND popular` counted in
    /// 12 ms this way against 40–80 ms through temporary b-trees.
    ///
    /// A count of `NOT x` is `count(assets) − count(x)`, as for the in-memory floor, since
    /// every ordinal in `asset_labels` is an asset's.
    private func compound(_ expression: ShapeExpression, purpose: SQLPurpose, parameters: inout [Int64]) -> String {
        switch purpose {
        case .count:
            if let negated = Self.complemented(expression) {
                let inner = compound(negated, purpose: .count, parameters: &parameters)
                return "SELECT (SELECT count(*) FROM assets) - (\(inner))"
            }
            if case .label = expression {
                // A single SELECT has nothing to merge; ordering it would only add a pass.
                return "SELECT count(*) FROM (\(member(expression, parameters: &parameters)))"
            }
            return "SELECT count(*) FROM (\(compoundBody(expression, parameters: &parameters)) ORDER BY ord)"
        case .firstPage:
            return "\(compoundBody(expression, parameters: &parameters)) ORDER BY ord LIMIT ?"
        }
    }

    /// `x` when the expression is `NOT x`, or an AND of NOTs only (`NOT (a OR b …)`).
    private static func complemented(_ expression: ShapeExpression) -> ShapeExpression? {
        switch expression {
        case .not(let operand):
            return operand
        case .and(let operands):
            var negated: [ShapeExpression] = []
            for operand in operands {
                guard case .not(let inner) = operand else { return nil }
                negated.append(inner)
            }
            return negated.count == 1 ? negated[0] : .or(negated)
        default:
            return nil
        }
    }

    /// A compound SELECT whose single column `ord` is the expression's set of ordinals.
    ///
    /// Compound operators bind left to right with equal precedence, so `a UNION b INTERSECT c
    /// EXCEPT d` is ((a ∪ b) ∩ c) − d: a leading union of labels and every EXCEPT need no
    /// subquery, and the whole compound stays one mergeable chain of plain SELECTs.
    private func compoundBody(_ expression: ShapeExpression, parameters: inout [Int64]) -> String {
        switch expression {
        case .label:
            return member(expression, parameters: &parameters)
        case .or(let operands):
            return operands.map { member($0, parameters: &parameters) }.joined(separator: " UNION ")
        case .not(let operand):
            return "SELECT ord FROM assets" + excepting(operand, parameters: &parameters)
        case .and(let operands):
            var positives: [ShapeExpression] = []
            var negatives: [ShapeExpression] = []
            for operand in operands {
                if case .not(let negated) = operand { negatives.append(negated) } else { positives.append(operand) }
            }
            positives.sort { rows($0) < rows($1) }
            var sql: String
            if positives.isEmpty {
                sql = "SELECT ord FROM assets"
            } else {
                let leadingUnion = positives.firstIndex {
                    if case .or(let terms) = $0 { terms.allSatisfy(Self.isLabel) } else { false }
                }
                if let leadingUnion { positives.insert(positives.remove(at: leadingUnion), at: 0) }
                sql =
                    leadingUnion == nil
                    ? member(positives[0], parameters: &parameters)
                    : compoundBody(positives[0], parameters: &parameters)
                for positive in positives.dropFirst() {
                    sql += " INTERSECT " + member(positive, parameters: &parameters)
                }
            }
            for negative in negatives { sql += excepting(negative, parameters: &parameters) }
            return sql
        }
    }

    /// ` EXCEPT …` clauses removing the expression's ordinals; a union becomes one EXCEPT per
    /// operand, since A − (B ∪ C) = (A − B) − C.
    private func excepting(_ expression: ShapeExpression, parameters: inout [Int64]) -> String {
        if case .or(let operands) = expression {
            return operands.map { excepting($0, parameters: &parameters) }.joined()
        }
        return " EXCEPT " + member(expression, parameters: &parameters)
    }

    /// One SELECT usable as an operand of a compound operator.
    private func member(_ expression: ShapeExpression, parameters: inout [Int64]) -> String {
        if case .label(let label) = expression {
            parameters.append(Int64(label))
            return "SELECT ord FROM asset_labels WHERE label_id = ?"
        }
        return "SELECT ord FROM (\(compoundBody(expression, parameters: &parameters)))"
    }
}

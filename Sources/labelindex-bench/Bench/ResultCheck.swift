import LabelBench
import LabelCommandLine

/// What each system answered for one query, compared before anything is timed: a benchmark of
/// systems that disagree would measure nothing.
struct QueryAnswers {
    var query: BenchQuery
    var counts: [BenchReport.System: Int]
    var firstPages: [BenchReport.System: [UInt32]]

    /// Lines describing every disagreement; empty when all systems agree.
    var disagreements: [String] {
        var lines: [String] = []
        if Set(counts.values).count > 1 {
            let listed = counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
            lines.append("\(query.id): counts differ: \(listed.joined(separator: ", ")) for \(query.text)")
        }
        if Set(firstPages.values).count > 1 {
            let listed = firstPages.sorted { $0.key.rawValue < $1.key.rawValue }.map { system, page in
                "\(system.rawValue) [\(page.prefix(5).map(String.init).joined(separator: ","))\(page.count > 5 ? ",…" : "")] (\(page.count))"
            }
            lines.append("\(query.id): first pages differ: \(listed.joined(separator: "; ")) for \(query.text)")
        }
        return lines
    }
}

enum ResultCheck {
    /// Throws an `inconsistent` failure listing every disagreement.
    static func requireAgreement(_ answers: [QueryAnswers]) throws {
        let problems = answers.flatMap(\.disagreements)
        guard problems.isEmpty else {
            throw CommandFailure(
                .inconsistent,
                (["error: the systems disagree; no timings were taken:"] + problems.map { "  " + $0 }).joined(
                    separator: "\n"))
        }
    }
}

import LabelCommandLine

/// The tables of a bench report, built once and rendered as a terminal table or as Markdown.
struct ReportSection {
    var title: String
    /// Sentences printed under the title.
    var notes: [String]
    var columns: [Table.Column]
    var rows: [[String]]
}

extension BenchReport {
    /// Title line: the workload in one sentence.
    var headline: String {
        "LabelIndex benchmark: \(Formatting.count(workload.assets)) assets, \(Formatting.count(workload.labels)) labels, "
            + "\(Formatting.count(workload.pairs)) asset-label pairs (seed \(workload.seed))"
    }

    var settingsNote: String {
        "\(settings.processors) processors; each latency is the median / p99 of up to \(settings.repeatCount) calls "
            + "(at most \(settings.secondsPerMeasurement) s per measurement, after 3 warm-up calls); "
            + "a first page is \(settings.pageSize) matches: LabelIndex returns their asset ids (keys), SQLite its rowids (ord; the asset ids would need a join), the floor its bitmap values; LabelIndex opens a read snapshot per call."
    }

    var sections: [ReportSection] {
        [
            loadSection, querySection, latencySection(count: true), latencySection(count: false), writeSection,
            mixedSection,
        ]
    }

    private var loadSection: ReportSection {
        ReportSection(
            title: "Load", notes: [],
            columns: [
                .init("system"), .init("load time", .right), .init("database size", .right), .init("loaded from"),
            ],
            rows: loads.map { load in
                [
                    load.system.rawValue, String(format: "%.2f s", load.seconds), Formatting.bytes(load.databaseBytes),
                    load.source,
                ]
            })
    }

    private var querySection: ReportSection {
        ReportSection(
            title: "Queries",
            notes: ["All three systems returned the same count and the same first page for every query."],
            columns: [.init("shape"), .init("matches", .right), .init("query")],
            rows: shapes.map { [$0.shape, Formatting.count($0.count), "`\($0.query)`"] })
    }

    private func latencySection(count: Bool) -> ReportSection {
        func pick(_ latency: QueryLatency?) -> Latency? { count ? latency?.count : latency?.firstPage }
        func cell(_ latency: Latency?) -> String {
            guard let latency else { return "-" }
            return "\(Formatting.nanoseconds(latency.median)) / \(Formatting.nanoseconds(Double(latency.p99)))"
        }
        var notes = [
            "speed-up = SQLite median ÷ LabelIndex median (above 1: LabelIndex is faster); "
                + "× floor = LabelIndex median ÷ in-memory floor median."
        ]
        if !count {
            notes.append(
                "The floor computes the whole result and takes its first \(settings.pageSize); LabelIndex and SQLite "
                    + "stop once the page is full, so they can beat it (× floor below 1).")
        }
        return ReportSection(
            title: count ? "Count latency (median / p99)" : "First-page latency (median / p99)",
            notes: notes,
            columns: [
                .init("shape"), .init("LabelIndex", .right), .init("SQLite", .right), .init("floor", .right),
                .init("speed-up vs SQLite", .right), .init("× floor", .right),
            ],
            rows: shapes.map { shape in
                let labelIndex = pick(shape.latency(.labelIndex))
                let sqlite = pick(shape.latency(.sqlite))
                let floor = pick(shape.latency(.floor))
                return [
                    shape.shape, cell(labelIndex), cell(sqlite), cell(floor),
                    Formatting.ratio(Self.speedup(of: labelIndex, over: sqlite)),
                    Formatting.ratio(Self.overhead(of: labelIndex, over: floor)),
                ]
            })
    }

    private var writeSection: ReportSection {
        func cell(_ latency: Latency) -> String {
            "\(Formatting.nanoseconds(latency.median)) / \(Formatting.nanoseconds(Double(latency.p99)))"
        }
        return ReportSection(
            title: "Single-label writes (median / p99)",
            notes: [
                "\(settings.writeOperations) operations of writes.tsv, each its own transaction. LabelIndex durable "
                    + "fsyncs every commit; no-sync leaves flushing to the OS; write map (MDB_WRITEMAP) also skips "
                    + "copying dirty pages with write(2) at commit; SQLite runs WAL with synchronous=NORMAL "
                    + "(no fsync per commit)."
            ],
            columns: [.init("system"), .init("add", .right), .init("remove", .right)],
            rows: writes.map { [$0.system.rawValue, cell($0.add), cell($0.remove)] })
    }

    private var mixedSection: ReportSection {
        let sqlite = mixed.first { $0.system == .sqlite }
        return ReportSection(
            title: "Mixed read/write throughput",
            notes: [
                "\(settings.readers) reader threads (each query: count + first page, round-robin over the shapes) "
                    + "and 1 writer thread (the write mix, each operation followed by its inverse, one transaction "
                    + "each), \(settings.mixedSeconds) s per system."
            ],
            columns: [
                .init("system"), .init("queries/s", .right), .init("writes/s", .right),
                .init("queries vs SQLite", .right), .init("writes vs SQLite", .right),
            ],
            rows: mixed.map { result in
                [
                    result.system.rawValue, Formatting.count(Int(result.queriesPerSecond.rounded())),
                    Formatting.count(Int(result.writesPerSecond.rounded())),
                    sqlite.map { Formatting.ratio(result.queriesPerSecond / $0.queriesPerSecond) } ?? "-",
                    sqlite.map { Formatting.ratio(result.writesPerSecond / $0.writesPerSecond) } ?? "-",
                ]
            })
    }
}

import Foundation
import LabelCommandLine

/// The latency chart of a bench report as a self-contained SVG, written by hand (no dependency):
/// one panel for counts and one for first pages; per query shape a bar per system at its median
/// latency on a logarithmic axis, with a whisker up to the p99.
struct SVGChart {
    let report: BenchReport

    private let systems: [(BenchReport.System, String)] = [
        (.labelIndex, "#1F77B4"), (.sqlite, "#FF7F0E"), (.floor, "#2CA02C"),
    ]
    private let width = 1100.0
    private let panelHeight = 330.0
    private let left = 80.0
    private let right = 20.0
    private let top = 70.0
    private let labelSpace = 110.0

    var rendered: String {
        let (lowDecade, highDecade) = decades()
        let panels: [(String, KeyPath<BenchReport.QueryLatency, BenchReport.Latency>)] = [
            ("Count", \.count), ("First page (\(report.settings.pageSize) ids)", \.firstPage),
        ]
        let height = top + Double(panels.count) * (panelHeight + labelSpace) + 10
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(format(width))" height="\##(format(height))" "##
                + ##"viewBox="0 0 \##(format(width)) \##(format(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">"##,
            ##"<rect width="100%" height="100%" fill="white"/>"##,
            text(x: left, y: 24, escape(report.headline), size: 15, weight: "bold"),
            text(
                x: left, y: 44, "Median latency per query shape (bar) and p99 (whisker); logarithmic scale.", size: 12),
        ]
        var legendX = width - right - 330
        for (system, color) in systems {
            parts.append(##"<rect x="\##(format(legendX))" y="34" width="12" height="12" fill="\##(color)"/>"##)
            parts.append(text(x: legendX + 17, y: 45, system.rawValue, size: 12))
            legendX += 110
        }
        for (index, panel) in panels.enumerated() {
            let panelTop = top + Double(index) * (panelHeight + labelSpace)
            parts += drawPanel(
                title: panel.0, metric: panel.1, top: panelTop, decades: (lowDecade, highDecade))
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private func drawPanel(
        title: String, metric: KeyPath<BenchReport.QueryLatency, BenchReport.Latency>, top panelTop: Double,
        decades: (Int, Int)
    ) -> [String] {
        let plotTop = panelTop + 20
        let plotBottom = panelTop + panelHeight
        let plotWidth = width - left - right
        func y(_ nanoseconds: Double) -> Double {
            let position = (log10(max(nanoseconds, 1)) - Double(decades.0)) / Double(decades.1 - decades.0)
            return plotBottom - min(max(position, 0), 1) * (plotBottom - plotTop)
        }
        var parts = [text(x: left, y: panelTop + 10, title, size: 13, weight: "bold")]
        for decade in decades.0...decades.1 {
            let lineY = y(pow(10, Double(decade)))
            parts.append(
                ##"<line x1="\##(format(left))" y1="\##(format(lineY))" x2="\##(format(width - right))" y2="\##(format(lineY))" stroke="#DDDDDD"/>"##
            )
            parts.append(
                text(
                    x: left - 8, y: lineY + 4, Formatting.nanoseconds(pow(10, Double(decade))), size: 11, anchor: "end")
            )
        }
        parts.append(
            ##"<line x1="\##(format(left))" y1="\##(format(plotBottom))" x2="\##(format(width - right))" y2="\##(format(plotBottom))" stroke="#333333"/>"##
        )
        let groupWidth = plotWidth / Double(max(report.shapes.count, 1))
        let barWidth = groupWidth * 0.8 / Double(systems.count)
        for (shapeIndex, shape) in report.shapes.enumerated() {
            let groupLeft = left + Double(shapeIndex) * groupWidth + groupWidth * 0.1
            for (systemIndex, (system, color)) in systems.enumerated() {
                guard let latency = shape.latency(system)?[keyPath: metric] else { continue }
                let x = groupLeft + Double(systemIndex) * barWidth
                let barTop = y(latency.median)
                let tooltip =
                    "\(system.rawValue) \(shape.shape): median \(Formatting.nanoseconds(latency.median)), p99 \(Formatting.nanoseconds(Double(latency.p99)))"
                parts.append(
                    ##"<rect x="\##(format(x))" y="\##(format(barTop))" width="\##(format(barWidth - 1))" height="\##(format(plotBottom - barTop))" fill="\##(color)"><title>\##(escape(tooltip))</title></rect>"##
                )
                let whiskerX = x + (barWidth - 1) / 2
                let p99Y = y(Double(latency.p99))
                parts.append(
                    ##"<line x1="\##(format(whiskerX))" y1="\##(format(barTop))" x2="\##(format(whiskerX))" y2="\##(format(p99Y))" stroke="#222222"/>"##
                )
                parts.append(
                    ##"<line x1="\##(format(whiskerX - 3))" y1="\##(format(p99Y))" x2="\##(format(whiskerX + 3))" y2="\##(format(p99Y))" stroke="#222222"/>"##
                )
            }
            let labelX = groupLeft + groupWidth * 0.4
            let labelY = plotBottom + 12
            parts.append(
                ##"<text x="\##(format(labelX))" y="\##(format(labelY))" font-size="11" text-anchor="end" transform="rotate(-35 \##(format(labelX)) \##(format(labelY)))">\##(escape(shape.shape))</text>"##
            )
        }
        return parts
    }

    /// The decades (powers of ten, in nanoseconds) that hold every median and p99.
    private func decades() -> (Int, Int) {
        var values: [Double] = []
        for shape in report.shapes {
            for (system, _) in systems {
                guard let latency = shape.latency(system) else { continue }
                values += [
                    latency.count.median, Double(latency.count.p99), latency.firstPage.median,
                    Double(latency.firstPage.p99),
                ]
            }
        }
        let positive = values.filter { $0 > 0 }
        guard let low = positive.min(), let high = positive.max() else { return (2, 6) }
        let lowDecade = Int(log10(low).rounded(.down))
        return (lowDecade, max(Int(log10(high).rounded(.up)), lowDecade + 1))
    }

    private func text(
        x: Double, y: Double, _ content: String, size: Int, weight: String = "normal", anchor: String = "start"
    ) -> String {
        ##"<text x="\##(format(x))" y="\##(format(y))" font-size="\##(size)" font-weight="\##(weight)" text-anchor="\##(anchor)">\##(content)</text>"##
    }

    private func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

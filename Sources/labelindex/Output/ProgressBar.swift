import LabelCommandLine

/// A progress bar drawn on one terminal line: `[█████▌              ]  27%`.
struct ProgressBar {
    var width = 24

    /// The bar for `fraction` (clamped to 0...1), with eighth-block resolution.
    func rendered(_ fraction: Double) -> String {
        let clamped = min(max(fraction.isFinite ? fraction : 0, 0), 1)
        let eighths = Int((clamped * Double(width * 8)).rounded(.down))
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths / 8 < width { bar += partials[eighths % 8] }
        bar += String(repeating: " ", count: max(0, width - bar.count))
        let percent = Int((clamped * 100).rounded(.down))
        return "[\(bar)] \(String(repeating: " ", count: percent < 10 ? 2 : percent < 100 ? 1 : 0))\(percent)%"
    }
}

/// Shows the progress of a long operation on stderr: a bar redrawn in place (at most ten times a
/// second) on a terminal, a plain line every few seconds otherwise (logs, CI, pipes).
///
/// Callers ask `isDue` before building their status text, so a progress callback that runs
/// often costs one clock read when nothing is drawn.
final class ProgressReporter {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private var lastShown: ContinuousClock.Instant
    private let interval: Duration
    private let isTerminal: Bool
    private let label: String
    private var drawnWidth = 0
    private let bar = ProgressBar()

    /// - Parameters:
    ///   - label: what is in progress, e.g. `import`.
    ///   - isTerminal: draw a redrawn bar (true) or plain lines (false).
    ///   - lineInterval: time between plain lines.
    init(label: String, isTerminal: Bool = Console.errorIsTerminal, lineInterval: Duration = .seconds(5)) {
        self.label = label
        self.isTerminal = isTerminal
        interval = isTerminal ? .milliseconds(100) : lineInterval
        start = clock.now
        lastShown = start
    }

    /// Seconds since the reporter was made.
    var elapsedSeconds: Double {
        let components = (clock.now - start).components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whether it is time to show a new status.
    var isDue: Bool { clock.now - lastShown >= interval }

    /// Shows `status`, with a bar when `fraction` is known. Call when `isDue`.
    func show(fraction: Double?, status: String) {
        lastShown = clock.now
        if isTerminal {
            let line = "\(label) " + (fraction.map { bar.rendered($0) + "  " } ?? "") + status
            let padding = String(repeating: " ", count: max(0, drawnWidth - line.count))
            drawnWidth = line.count
            Console.errorFragment("\r" + line + padding)
        } else {
            let percent = fraction.map { "\(Int(($0 * 100).rounded(.down)))% " } ?? ""
            Console.error("\(label): \(percent)\(status)")
        }
    }

    /// Clears the bar so the next output starts on a clean line.
    func finish() {
        guard isTerminal, drawnWidth > 0 else { return }
        Console.errorFragment("\r" + String(repeating: " ", count: drawnWidth) + "\r")
        drawnWidth = 0
    }
}

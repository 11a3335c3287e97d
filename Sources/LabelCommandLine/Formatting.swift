import Foundation

/// How numbers, sizes and durations are printed, the same way in every command.
package enum Formatting {
    /// `1234567` → `1,234,567`.
    package static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// `1536` → `1.5 KiB`.
    package static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1024 && unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", scaled, units[unit])
    }

    package static func bytes(_ value: Int) -> String { bytes(Int64(value)) }

    /// Seconds with a unit that keeps three significant digits: `1.23 s`, `45.6 ms`.
    package static func seconds(_ value: Double) -> String {
        nanoseconds(value * 1e9)
    }

    /// Nanoseconds with a readable unit: `850 ns`, `12.3 µs`, `4.56 ms`, `1.20 s`.
    package static func nanoseconds(_ value: Double) -> String {
        switch value {
        case ..<1_000: String(format: "%.0f ns", value)
        case ..<1_000_000: String(format: "%.3g µs", value / 1e3)
        case ..<1_000_000_000: String(format: "%.3g ms", value / 1e6)
        default: String(format: "%.2f s", value / 1e9)
        }
    }

    /// `(12345.6, "assets")` → `12,346 assets/s`.
    package static func rate(_ perSecond: Double, _ unit: String) -> String {
        perSecond.isFinite ? "\(count(Int(perSecond.rounded()))) \(unit)/s" : "-"
    }

    /// Three significant digits at most: `4754×`, `12.1×`, `3.20×`, `0.042×`.
    package static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        switch value {
        case 100...: return String(format: "%.0f×", value)
        case 10...: return String(format: "%.1f×", value)
        case 1...: return String(format: "%.2f×", value)
        default: return String(format: "%.2g×", value)
        }
    }

    /// An ETA or elapsed time: `1:05`, `12:00:03`.
    package static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let total = Int(seconds.rounded())
        let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }

    /// An ISO 8601 UTC timestamp with milliseconds.
    package static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `text` cut to `width` characters with a trailing `…`.
    package static func truncated(_ text: String, to width: Int) -> String {
        text.count > width ? String(text.prefix(max(0, width - 1))) + "…" : text
    }
}

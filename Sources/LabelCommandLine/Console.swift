import Foundation

/// Standard output and standard error. Results go to stdout, so they can be piped; messages,
/// progress and warnings go to stderr.
package enum Console {
    /// Writes `text` and a line feed to stdout.
    package static func output(_ text: String) {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Writes `text` and a line feed to stderr.
    package static func error(_ text: String) {
        write(text + "\n", to: STDERR_FILENO)
    }

    /// Writes `text` to stderr as it is (progress lines redraw with `\r`).
    package static func errorFragment(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// Whether stderr is a terminal (progress bars are drawn only there).
    package static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Whether stdout is a terminal.
    package static var outputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// Unbuffered, so stdout and stderr lines keep their order and nothing is lost at `exit`.
    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}

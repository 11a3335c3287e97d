// LabelCommandLine: what the project's executables share on the command line.
//
// This target owns the terminal conventions of `labelindex` and `labelindex-bench`: stdout for
// results and stderr for messages (`Console`), how numbers, sizes and durations print
// (`Formatting`, `Table`, `JSONPrinting`), the `--data-dir` and `--namespace` options, and the
// documented exit codes with the mapping of library errors to them (`ExitStatus`,
// `CommandFailure`, `runAsMain`). It holds no command; package access only.

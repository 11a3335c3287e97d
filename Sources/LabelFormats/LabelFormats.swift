// LabelFormats: how text looks on the wire and in files, in one place for every layer that
// reads or writes it (import and export, the server, the command line): UTF-8 validation, one
// JSON model (`JSONValue`, a strict parser, a writer, the string and number forms), and the
// timestamp formats with the calendar arithmetic behind them. It depends on nothing but
// Foundation's `Date`, so the engine's embedders pay nothing for it.

// LabelFormats: how text looks on the wire and in files, in one place for every layer that
// reads or writes it (import and export, the server, the command line): UTF-8 validation, the
// JSON string and number forms, and the calendar arithmetic behind every timestamp format.
// It depends on nothing, so the engine's embedders pay nothing for it.

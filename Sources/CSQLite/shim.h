// CSQLite: the system SQLite library (Debian libsqlite3-dev), used only as the benchmark baseline.
#include <sqlite3.h>
